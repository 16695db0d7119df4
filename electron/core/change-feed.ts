/**
 * A control plane's subscribers: each change goes to every one of them, and one that throws
 * is logged and stops neither the others nor the control plane.
 */
import type { Logger } from '../../shared/logger';
import type { ControlPlaneChange, ControlPlaneListener } from './types';

export class ChangeFeed {
  private readonly listeners = new Set<ControlPlaneListener>();

  constructor(private readonly logger: Logger) {}

  /** Returns the unsubscribe function. */
  subscribe(listener: ControlPlaneListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(change: ControlPlaneChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error(`A change listener failed: ${String(error)}`);
      }
    }
  }
}
