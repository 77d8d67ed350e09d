// The confirm dialog of every action: what it does, its own fields (duration, scope...), a reason, and the
// server's refusal shown in place (the dialog stays open until the action is done or cancelled).

import { api, ApiError } from './api.js';
import { $, el } from './dom.js';

/**
 * Asks for confirmation, then runs `action` with `body` plus the fields and the reason; resolves with the server's
 * reply, or null when cancelled.
 * @param {{title: string, text: string, action: string, body: object, confirm?: string,
 *   fields?: {name: string, label: string, value?: string, options?: string[], placeholder?: string}[]}} spec
 */
export function confirmAction(spec) {
  const dialog = $('action-dialog');
  $('action-title').textContent = spec.title;
  $('action-text').textContent = spec.text;
  $('action-reason').value = '';
  $('action-error').hidden = true;
  $('action-confirm').textContent = spec.confirm ?? 'Confirm';
  $('action-confirm').disabled = false;
  const inputs = new Map();
  $('action-fields').replaceChildren(...(spec.fields ?? []).flatMap((field) => {
    const input = field.options
      ? el('select', { id: `field-${field.name}`, 'data-testid': `action-${field.name}` },
        ...field.options.map((option) => el('option', { value: option, selected: option === field.value }, option)))
      : el('input', { id: `field-${field.name}`, 'data-testid': `action-${field.name}`, value: field.value ?? '',
        placeholder: field.placeholder ?? '' });
    inputs.set(field.name, input);
    return [el('label', { for: `field-${field.name}` }, field.label), input];
  }));
  return new Promise((resolve) => {
    const finish = (result) => {
      $('action-confirm').onclick = null;
      dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(result);
    };
    dialog.onclose = () => finish(null);  // Escape, or the cancel button
    $('action-confirm').onclick = async (event) => {
      event.preventDefault();
      const body = { ...spec.body, reason: $('action-reason').value.trim() };
      for (const [name, input] of inputs) body[name] = input.value.trim();
      $('action-confirm').disabled = true;
      try {
        finish(await api.action(spec.action, body));
      } catch (error) {
        $('action-error').textContent = error instanceof ApiError ? error.describe() : String(error);
        $('action-error').hidden = false;
        $('action-confirm').disabled = false;
      }
    };
    dialog.showModal();
    (inputs.values().next().value ?? $('action-reason')).focus();
  });
}
