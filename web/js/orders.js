// Order fragments and helpers shared by the station and the board.

// Up to three ancestors: enough to name the product a work order builds
// (process < subassembly < product in the demo; deeper trees show the
// nearest three).
export const ANCESTORS = `parent { operation { externalId name }
  parent { operation { externalId name } parent { operation { externalId name } } } }`;

// The operation of an order's root (the product the ERP ordered), or null
// for an order with no parent.
export function rootOperation(order) {
  let op = null;
  for (let p = order.parent; p; p = p.parent) op = p.operation ?? op;
  return op;
}

// "SALES-123, unit 1" (orderIndex is 0-based; operators count from 1)
export function orderLabel(order) {
  const unit = `unit ${(order.orderIndex ?? 0) + 1}`;
  return order.externalOrderId ? `${order.externalOrderId}, ${unit}` : `Order ${order.id}, ${unit}`;
}

export function partLabel(op) {
  if (!op) return '';
  return op.externalId ? `${op.externalId} ${op.name}` : op.name;
}
