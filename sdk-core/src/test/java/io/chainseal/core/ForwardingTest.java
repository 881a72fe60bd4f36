package io.chainseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForwardingTest {
  private final SaltedEnvelope source = new SaltedEnvelope(MessageEnvelope.builder().conversationId("room-1").messageId("m-1")
      .senderId("alice").timestamp(Instant.parse("2026-11-26T10:00:00Z")).text("the news")
      .attachment(Hash32.of(new byte[32])).header("lang", "en").build(), Salt.random());

  private MessageEnvelope forwardOf(SaltedEnvelope message) {
    return Forwarding.forward(message).conversationId("room-2").messageId("m-9").senderId("bob")
        .timestamp(Instant.parse("2026-11-26T10:05:00Z")).build();
  }

  @Test
  void aForwardCarriesTheContentTheIdsAndTheCommitmentOfItsSource() throws Exception {
    MessageEnvelope forward = forwardOf(source);
    assertEquals(Optional.of(new MessageRef("room-1", "m-1")), forward.forwardedFrom());
    assertEquals(Optional.of(source.envelope().commit(source.salt())), Forwarding.sourceCommitment(forward));
    assertEquals(Optional.of("the news"), forward.text());
    assertEquals(source.envelope().attachments(), forward.attachments());
    assertFalse(forward.headers().containsKey("lang"), "the source's own headers are not copied");
    assertTrue(Forwarding.sameContent(source.envelope(), forward));
  }

  @Test
  void contentDigestIsTheSameInlineOrByDigest() throws Exception {
    Hash32 sha256 = Hash32.of(MessageDigest.getInstance("SHA-256").digest("the news".getBytes(StandardCharsets.UTF_8)));
    assertEquals(sha256, Forwarding.contentDigest(source.envelope()));
    MessageEnvelope byDigest = source.envelope().toBuilder().contentDigest(sha256).build();
    assertEquals(sha256, Forwarding.contentDigest(byDigest));
    MessageEnvelope forward = forwardOf(new SaltedEnvelope(byDigest, Salt.random()));
    assertEquals(Optional.of(sha256), forward.contentDigest(), "a source committed by digest is forwarded by digest");
    assertTrue(Forwarding.sameContent(source.envelope(), forward));
  }

  @Test
  void changedTextOrAttachmentsAreNotTheSameContent() {
    MessageEnvelope forward = forwardOf(source);
    assertFalse(Forwarding.sameContent(source.envelope(), forward.toBuilder().text("the news!").build()));
    assertFalse(Forwarding.sameContent(source.envelope(), forward.toBuilder().attachment(Hash32.of(new byte[32])).build()));
  }

  @Test
  void aMessageWithoutTheHeaderNamesNoCommitmentAndAMalformedOneIsRefused() throws Exception {
    assertEquals(Optional.empty(), Forwarding.sourceCommitment(source.envelope()));
    MessageEnvelope malformed = forwardOf(source).toBuilder().header(Forwarding.SOURCE_COMMITMENT, "not hex").build();
    FormatException e = assertThrows(FormatException.class, () -> Forwarding.sourceCommitment(malformed));
    assertEquals("headers." + Forwarding.SOURCE_COMMITMENT, e.field());
  }
}
