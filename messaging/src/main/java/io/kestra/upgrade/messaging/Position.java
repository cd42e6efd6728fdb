package io.kestra.upgrade.messaging;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a {@link RecordLoop} stands in its partition: the offset of the next record it has not
 * settled. Kept by the loop's owner (the agent keeps it in its command journal), never on the
 * broker.
 *
 * @param partition the partition read
 * @param offset the next offset to read: every record before it is settled
 * @param at when this position was taken; after a change of the topic's partition count, the new
 *     partition is read from the records published since about then
 */
public record Position(int partition, long offset, Instant at) {

  public Position {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "no position " + offset + " in partition " + partition + ": both are at least 0");
    }
    Objects.requireNonNull(at, "at");
  }
}
