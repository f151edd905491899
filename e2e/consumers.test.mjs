// Consumers in the designer: listed in their stream's inspector, added, edited and removed there
// (each change one undo step), their problems shown in the section, and their count on the
// stream's shape; hostile names stay plain text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('consumers', () => {
  const web = useSiteAndBrowser();

  test('a stream gets a consumer in its inspector, edited, undone and removed, counted on its shape', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const stream = editor.stream('tickets-1');
    await stream.click();
    await editor.inspector.getByRole('heading', { name: /tickets-1/ }).waitFor();
    const section = editor.inspector.getByRole('group', { name: /^Consumers \(/ });
    const count = stream.locator('text.consumer-count');
    assert.equal(await count.count(), 0, 'no badge without consumers');

    await section.getByRole('button', { name: 'Add consumer' }).click();
    const consumer = (name) => section.getByRole('group', { name: `Consumer ${name}` });
    await consumer('consumer').waitFor();
    await eventually(async () => assert.equal(await count.textContent(), '1 consumer'));

    // A name the server refuses: the rule says so in the section.
    const name = consumer('consumer').getByLabel('Durable name', { exact: true });
    await name.fill('a.b');
    await name.press('Enter');
    await eventually(async () => assert.match(await section.textContent(), /durable name contains '\.'/));

    // A hostile name is plain text in the legend, and nothing runs.
    const hostile = `$(id)'"<img src=x onerror=alert(1)`;
    await consumer('a.b').getByLabel('Durable name', { exact: true }).fill(hostile);
    await consumer('a.b').getByLabel('Durable name', { exact: true }).press('Enter');
    await consumer(hostile).waitFor();
    assert.equal(await consumer(hostile).locator('legend').textContent(), hostile);
    assert.equal(await page.locator('.consumers img').count(), 0);

    // Push: a deliver subject appears; one Undo makes it pull again.
    await consumer(hostile).getByRole('combobox', { name: /^Kind\b/ }).selectOption('push');
    const deliver = consumer(hostile).getByLabel('Deliver subject', { exact: true });
    await eventually(async () => assert.equal(await deliver.inputValue(), `deliver.${hostile}`));
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await deliver.count(), 0));

    // A second consumer, then removing the first: the count follows.
    await section.getByRole('button', { name: 'Add consumer' }).click();
    await eventually(async () => assert.equal(await count.textContent(), '2 consumers'));
    await section.getByRole('button', { name: `Remove consumer ${hostile}` }).click();
    await eventually(async () => assert.equal(await count.textContent(), '1 consumer'));
    await section.getByRole('button', { name: 'Remove consumer consumer' }).click();
    await eventually(async () => assert.equal(await count.count(), 0));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
