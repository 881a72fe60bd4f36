package io.chainseal.benchmarks;

import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.Salt;
import java.time.Instant;
import java.util.Random;

/** A deterministic corpus of chat messages whose canonical encoding is about 256 bytes each. */
final class Corpus {
  final MessageEnvelope[] envelopes;
  final Salt[] salts;
  /** Copies of the canonical encodings, allocated one after another (so laid out contiguously). */
  final byte[][] canonical;
  /**
   * Each envelope's own canonical bytes — the very arrays a commitment reads, where they lie among
   * the envelope's other fields. Read once here by reflection (the API hands out copies only).
   */
  final byte[][] inPlace;
  final String[] texts;

  Corpus(int count) {
    Random random = new Random(256);
    envelopes = new MessageEnvelope[count];
    salts = new Salt[count];
    canonical = new byte[count][];
    texts = new String[count];
    inPlace = new byte[count][];
    char[] text = new char[160];
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < text.length; c++) {
        text[c] = (char) ('a' + random.nextInt(26));
      }
      envelopes[i] = MessageEnvelope.builder()
          .conversationId("conversation-" + (i % 1000))
          .messageId("message-" + i)
          .senderId("user" + (i % 5000) + "@chat.example.org")
          .timestamp(Instant.ofEpochMilli(1_764_000_000_000L + i))
          .text(texts[i] = new String(text))
          .build();
      byte[] salt = new byte[32];
      random.nextBytes(salt);
      salts[i] = Salt.of(salt);
      canonical[i] = envelopes[i].canonicalBytes();
    }
    for (int i = 0; i < count; i++) {
      inPlace[i] = ownBytes(envelopes[i]);
    }
  }

  private static byte[] ownBytes(MessageEnvelope envelope) {
    try {
      java.lang.reflect.Field field = MessageEnvelope.class.getDeclaredField("canonical");
      field.setAccessible(true);
      byte[] own = (byte[]) field.get(envelope);
      if (!java.util.Arrays.equals(own, envelope.canonicalBytes())) {
        throw new IllegalStateException("MessageEnvelope.canonical is not the canonical encoding");
      }
      return own;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read MessageEnvelope.canonical", e);
    }
  }

  /** Builds (validates, normalizes and canonically encodes) envelope {@code i} again from its fields. */
  MessageEnvelope rebuild(int i) {
    return MessageEnvelope.builder()
        .conversationId("conversation-" + (i % 1000))
        .messageId("message-" + i)
        .senderId("user" + (i % 5000) + "@chat.example.org")
        .timestamp(Instant.ofEpochMilli(1_764_000_000_000L + i))
        .text(texts[i])
        .build();
  }

  double averageCanonicalBytes() {
    long total = 0;
    for (byte[] bytes : canonical) {
      total += bytes.length;
    }
    return (double) total / canonical.length;
  }
}
