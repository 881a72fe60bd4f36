package io.chainseal.benchmarks;

import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.Salt;
import java.time.Instant;
import java.util.Random;

/** A deterministic corpus of chat messages whose canonical encoding is about 256 bytes each. */
final class Corpus {
  final MessageEnvelope[] envelopes;
  final Salt[] salts;
  final byte[][] canonical;
  final String[] texts;

  Corpus(int count) {
    Random random = new Random(256);
    envelopes = new MessageEnvelope[count];
    salts = new Salt[count];
    canonical = new byte[count][];
    texts = new String[count];
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
