package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageEnvelopeTest {
  @Test
  void canonicalBytesAreDeterministicAndStartWithTheVersion() {
    MessageEnvelope a = Fixtures.message("m-1", "hello");
    MessageEnvelope b = Fixtures.message("m-1", "hello");
    assertArrayEquals(a.canonicalBytes(), b.canonicalBytes());
    assertEquals(MessageEnvelope.ENCODING_VERSION, a.canonicalBytes()[0]);
    assertEquals(a, b);
  }

  @Test
  void composedAndDecomposedTextCommitAlike() {
    MessageEnvelope composed = Fixtures.message("m-1", "caf\u00e9");
    MessageEnvelope decomposed = Fixtures.message("m-1", "cafe\u0301");
    assertArrayEquals(composed.canonicalBytes(), decomposed.canonicalBytes());
    assertEquals("caf\u00e9", decomposed.text().orElseThrow());
  }

  @Test
  void unpairedSurrogatesAreRejectedBecauseTheyHaveNoUtf8Form() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fixtures.message("m-1", "a\ud800b"));
    assertTrue(e.getMessage().contains("text"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fixtures.message("m-\udc00", "x"));
  }

  @Test
  void fieldBoundariesCannotBeShiftedBetweenFields() {
    MessageEnvelope ab = MessageEnvelope.builder().conversationId("ab").messageId("c").senderId("s")
        .timestamp(Instant.EPOCH).text("x").build();
    MessageEnvelope a = MessageEnvelope.builder().conversationId("a").messageId("bc").senderId("s")
        .timestamp(Instant.EPOCH).text("x").build();
    assertFalse(java.util.Arrays.equals(ab.canonicalBytes(), a.canonicalBytes()));
  }

  @Test
  void everyFieldChangesTheEncoding() {
    MessageEnvelope base = Fixtures.message("m-1", "hello");
    List<MessageEnvelope> variants = List.of(
        base.toBuilder().conversationId("room-43").build(),
        base.toBuilder().messageId("m-2").build(),
        base.toBuilder().senderId("bob@example.org").build(),
        base.toBuilder().senderKey(SignerId.parse("eip191:" + Fixtures.ANVIL_ADDRESS_0)).build(),
        base.toBuilder().timestamp(base.timestamp().plusMillis(1)).build(),
        base.toBuilder().text("hellO").build(),
        base.toBuilder().contentDigest(Hash32.of(new byte[32])).build(),
        base.toBuilder().attachment(Hash32.of(new byte[32])).build(),
        base.toBuilder().replyTo(new MessageRef("room-42", "m-0")).build(),
        base.toBuilder().forwardedFrom(new MessageRef("room-42", "m-0")).build(),
        base.toBuilder().header("lang", "en").build());
    Set<String> encodings = new HashSet<>();
    encodings.add(java.util.HexFormat.of().formatHex(base.canonicalBytes()));
    for (MessageEnvelope variant : variants) {
      assertTrue(encodings.add(java.util.HexFormat.of().formatHex(variant.canonicalBytes())), "collision: " + variant);
    }
    // reply vs forward of the same message must differ too
    assertNotEquals(variants.get(8), variants.get(9));
  }

  @Test
  void toBuilderRoundTripsEveryField() {
    MessageEnvelope full = Fixtures.message("m-1", "hello").toBuilder()
        .senderKey(SignerId.parse("eip191:" + Fixtures.ANVIL_ADDRESS_0))
        .attachment(Hash32.of(new byte[32]))
        .replyTo(new MessageRef("room-42", "m-0"))
        .forwardedFrom(new MessageRef("room-7", "m-9"))
        .header("lang", "en").header("client", "demo/1.0")
        .build();
    assertArrayEquals(full.canonicalBytes(), full.toBuilder().build().canonicalBytes());
  }

  @Test
  void commitmentIsTheRfc9162LeafHashOfTheSaltedRecord() {
    MessageEnvelope message = Fixtures.message("m-1", "yes");
    Salt salt = Fixtures.salt(1);
    byte[] record = concat("CHAINSEAL/COMMITMENT/V1".getBytes(StandardCharsets.US_ASCII), salt.bytes(), message.canonicalBytes());
    assertEquals(MerkleTree.leafHash(record), message.commit(salt));
  }

  @Test
  void saltChangesTheCommitmentSoShortMessagesCannotBeGuessed() {
    MessageEnvelope yes = Fixtures.message("m-1", "yes");
    assertNotEquals(yes.commit(Fixtures.salt(1)), yes.commit(Fixtures.salt(2)));
    assertNotEquals(yes.commit(Salt.random()), yes.commit(Salt.random()));
  }

  @Test
  void missingAndInvalidFieldsAreNamed() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> MessageEnvelope.builder().conversationId("c").senderId("s").timestamp(Instant.EPOCH).text("x").build());
    assertTrue(missing.getMessage().contains("messageId"), missing.getMessage());
    IllegalStateException noContent = assertThrows(IllegalStateException.class,
        () -> MessageEnvelope.builder().conversationId("c").messageId("m").senderId("s").timestamp(Instant.EPOCH).build());
    assertTrue(noContent.getMessage().contains("content"), noContent.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> MessageEnvelope.builder().conversationId("").messageId("m").senderId("s").timestamp(Instant.EPOCH).text("x").build());
    assertTrue(empty.getMessage().contains("conversationId"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MessageEnvelope.builder().header("bad name", "v"));
  }

  @Test
  void timestampsKeepMillisecondsOnly() {
    MessageEnvelope a = Fixtures.message("m", "x").toBuilder().timestamp(Instant.parse("2026-01-01T00:00:00.123456Z")).build();
    assertEquals(Instant.parse("2026-01-01T00:00:00.123Z"), a.timestamp());
  }

  @Test
  void toStringShowsNoContent() {
    assertFalse(Fixtures.message("m-1", "secret plans").toString().contains("secret"));
    assertEquals("Salt[redacted]", Fixtures.salt(1).toString());
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, offset, part.length);
      offset += part.length;
    }
    return out;
  }
}
