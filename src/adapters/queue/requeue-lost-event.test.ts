import { describe, expect, it } from 'vitest';
import { baseJobId, requeueJobId } from './requeue-lost-event.js';

describe('requeue ids of lost events jobs', () => {
  it('counts requeues in a suffix and stops after three', () => {
    expect(requeueJobId('delivery-abc')).toBe('delivery-abc~again-1');
    expect(requeueJobId('delivery-abc~again-1')).toBe('delivery-abc~again-2');
    expect(requeueJobId('delivery-abc~again-2')).toBe('delivery-abc~again-3');
    expect(requeueJobId('delivery-abc~again-3')).toBeNull();
  });

  it('keys the work by the id without the suffix', () => {
    expect(baseJobId('delivery-abc~again-2')).toBe('delivery-abc');
    expect(baseJobId('run-acme-connectors-7-pr-linked-12')).toBe('run-acme-connectors-7-pr-linked-12');
  });
});
