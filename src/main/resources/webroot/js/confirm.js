// The cancellation confirmation: a cancel only ever happens after an explicit second choice.
export function confirmCancel(record) {
  const dialog = document.getElementById('confirm-cancel');
  document.getElementById('confirm-cancel-command').textContent = record.command;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'cancel'), { once: true });
    dialog.showModal();
  });
}
