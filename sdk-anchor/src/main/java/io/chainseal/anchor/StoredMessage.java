package io.chainseal.anchor;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A journaled message and, once batched, its place: batch sequence and leaf index.
 *
 * @param entry the message as accepted
 * @param batchSequence the batch holding it, or -1 while unbatched
 * @param leafIndex its leaf index in that batch, or -1
 */
public record StoredMessage(JournalEntry entry, long batchSequence, long leafIndex) {
  public StoredMessage {
    Objects.requireNonNull(entry, "entry == null");
  }

  public OptionalLong batch() {
    return batchSequence < 0 ? OptionalLong.empty() : OptionalLong.of(batchSequence);
  }
}
