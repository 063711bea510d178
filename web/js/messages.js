// What the station says when mesd refuses something, in words an operator
// at arm's length understands. mesd's own message (written for an
// integrator) is the fallback for a code this file does not know.
// extensions (field, attributeId, serial) say which input a refusal
// concerns; the build form shows the message beside that input.
export function refusalText(err, { label } = {}) {
  const serial = err.extensions?.serial;
  const what = label ? label.toLowerCase() : 'this serial';
  switch (err.code) {
    case 'MISSING_SERIAL':
      return `Scan the ${what}.`;
    case 'SERIAL_ALREADY_CONSUMED':
      return `${serial ?? 'This serial'} is already built into another unit. Check the part and scan the serial of the part in your hands.`;
    case 'DUPLICATE_PRODUCED_SERIAL':
      return `${serial ?? 'This serial'} is already the serial of another unit. Check the label; ask your supervisor for a new one if it is wrong.`;
    case 'NOT_READY':
      return 'This order cannot be worked on any more: it was completed or canceled meanwhile. Go back to the queue.';
    case 'WRONG_STATION':
      return 'This order belongs to another station.';
    case 'NOT_FOUND':
      return 'This order does not exist any more. Go back to the queue.';
    case 'FORBIDDEN':
      return 'Your token may not do this here. Sign in with an operator token.';
    case 'BUSY':
      return 'mesd is busy. Press the button again in a moment: what you typed is kept.';
    case 'BAD_INPUT':
      return `Not accepted: ${err.message}`;
    default:
      return err.message || 'Refused.';
  }
}

export const NETWORK_TEXT = 'Not sent: the connection to mesd is lost. What you typed is kept; try again when the connection is back.';

export function statusText(status) {
  return {
    CREATED: 'Waiting', READY: 'Ready', IN_PROGRESS: 'In progress', COMPLETED: 'Done', CANCELED: 'Canceled',
    WAITING: 'Not yet',
  }[status] ?? status;
}
