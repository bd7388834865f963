/**
 * One lane of the sequencer (sequencer.ts): the records of one predicted shard in admission
 * order, and the one Kinesis record of that shard that is unresolved. The settlement and the
 * retrier report each member's fate to it (`OrderedLane`); once all are resolved it hands itself
 * back to the sequencer, which builds the lane's next Kinesis record.
 */
import type { Clock } from '../clock/clock.js';
import { DeadlineTimer } from '../clock/deadline-timer.js';
import type { OrderedLane, UserRecordState } from '../record/user-record.js';

/** The sequencer's side of a lane. */
export interface LaneHost {
  /** Every member of the lane's Kinesis record has its outcome or is back in the lane. */
  resolved(lane: Lane): void;
  /** The lane's timer fired: its oldest record may expire, or it may send. */
  due(lane: Lane): void;
}

/** One predicted shard's records, and its one unresolved Kinesis record. */
export class Lane implements OrderedLane {
  /** Records not sent yet, in admission order, from `head` on. */
  queue: UserRecordState[] = [];
  head = 0;
  /** Data + partition key bytes of the queue (an aggregate's framing not counted). */
  queuedBytes = 0;
  /** Records back from the service to be sent again, in admission order; they go before the queue. */
  retrying: UserRecordState[] = [];
  /** Clock time before which `retrying` is not sent (the longest backoff its records were given). */
  retryAt = -Infinity;
  /** `retrying` goes out without queued records: the fate of its last attempt is unknown, so a copy may be stored, and it must repeat exactly that attempt. */
  replayOnly = false;
  /** Bisection: sizes of the next Kinesis records to take from `retrying`. */
  probes: number[] = [];
  /** Members of the unresolved Kinesis record. */
  inFlight: UserRecordState[] | undefined = undefined;
  unresolved = 0;
  /** The unresolved Kinesis record is a bisection probe. */
  probing = false;
  /** Gathered while the unresolved record is being resolved. */
  dueAt = -Infinity;
  uncertain = false;
  split = false;
  /** The oldest waiting record's expiry or, when idle, the lane's next send. */
  readonly timer: DeadlineTimer;
  pumping = false;
  pumpAgain = false;
  forceAgain = false;

  constructor(
    readonly shard: number,
    private readonly host: LaneHost,
    clock: Clock,
  ) {
    this.timer = new DeadlineTimer(clock, () => host.due(this));
  }

  settled(): void {
    this.#resolvedOne();
  }

  retry(record: UserRecordState, dueAt: number, uncertain: boolean): void {
    record.lane = undefined;
    if (dueAt > this.dueAt) this.dueAt = dueAt;
    if (uncertain) this.uncertain = true;
    this.#resolvedOne();
  }

  bisect(members: readonly UserRecordState[]): void {
    this.split = true;
    for (const member of members) member.lane = undefined;
    this.unresolved -= members.length - 1;
    this.#resolvedOne();
  }

  #resolvedOne(): void {
    if (--this.unresolved === 0) this.host.resolved(this);
  }
}
