/**
 * The one object of Ava ground truth that is no actor's state: the run's counters (`run --json`
 * metrics), which survive every crash. Models write it; nothing in a model reads it to decide,
 * and no invariant reads it (invariants read the actors' own state through AvaView).
 */
export class GroundTruth {
  readonly metrics = {
    connectionsAccepted: 0,
    connectionsRejected: 0,
    reconnections: 0,
    dials: 0,
    ticks: 0,
    tickBodies: 0,
    monitorSends: 0,
    monitorSendsFailed: 0,
    monitorSendTimeouts: 0,
    tasksSynced: 0,
    notificationsSent: 0,
    notificationsDropped: 0,
    reclaims: 0,
    assignments: 0,
    handlersCancelled: 0,
    handlerExits: 0,
    staleStreamDeletes: 0,
    deadlockedHandlers: 0,
    operatorStops: 0,
    duplicateTimeJobs: 0,
    lateDeliveries: 0,
    triggerFirings: 0,
    notifyTriggers: 0,
    tasksReloaded: 0,
  };

  private readonly addressesSeen = new Set<string>();

  /** An accepted connect; a second one of an address is a reconnection. */
  countAccept(address: string): void {
    this.metrics.connectionsAccepted++;
    if (this.addressesSeen.has(address)) this.metrics.reconnections++;
    this.addressesSeen.add(address);
  }
}
