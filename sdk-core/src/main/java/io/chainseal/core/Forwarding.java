package io.chainseal.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * Forwards that can be traced back to their source. A forward made with {@link #forward} carries the
 * source's content (inline, or by digest), its attachments, {@code forwardedFrom} (the source's ids) and
 * the header {@value #SOURCE_COMMITMENT} (the source's salted commitment, hex). The commitment binds the
 * forward to exactly one anchored message: it still names its source after the source is erased (an
 * erased message keeps only its commitment and proof), so a trace shows that the original existed and
 * when, without its content. The forward's own signature and anchor make that link the forwarder's
 * signed statement.
 *
 * <pre>{@code
 * MessageEnvelope forward = Forwarding.forward(received)          // received: the source with its salt
 *     .conversationId("room-9").messageId("m-77").senderId("bob@example.org").senderKey(bob.id())
 *     .timestamp(Instant.now()).build();
 * }</pre>
 */
public final class Forwarding {
  /** The header holding the source's commitment (64 lowercase hex digits). */
  public static final String SOURCE_COMMITMENT = "chainseal.forwarded-commitment";

  private Forwarding() {}

  /**
   * A builder for a forward of {@code source}: its content and attachments, {@code forwardedFrom} and
   * the {@value #SOURCE_COMMITMENT} header set; the forwarder sets the ids, sender, key and time.
   */
  public static MessageEnvelope.Builder forward(SaltedEnvelope source) {
    Objects.requireNonNull(source, "source == null");
    MessageEnvelope envelope = source.envelope();
    MessageEnvelope.Builder b = MessageEnvelope.builder();
    Optional<byte[]> content = envelope.content();
    if (content.isPresent()) {
      b.content(content.get());
    } else {
      b.contentDigest(envelope.contentDigest().orElseThrow());
    }
    envelope.attachments().forEach(b::attachment);
    return b.forwardedFrom(new MessageRef(envelope.conversationId(), envelope.messageId()))
        .header(SOURCE_COMMITMENT, envelope.commit(source.salt()).hex());
  }

  /**
   * The commitment a forward names for its source, if it names one.
   *
   * @throws FormatException if the header is present but not 32 bytes of hex
   */
  public static Optional<Hash32> sourceCommitment(MessageEnvelope forward) throws FormatException {
    String value = forward.headers().get(SOURCE_COMMITMENT);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Hash32.fromHex(value));
    } catch (IllegalArgumentException e) {
      throw new FormatException("headers." + SOURCE_COMMITMENT, "not a 32-byte hex commitment");
    }
  }

  /**
   * The SHA-256 digest of {@code envelope}'s content: of the inline bytes, or the digest it commits to
   * instead. A message and its unchanged forward have the same content digest (and attachments), however
   * each carries the content.
   */
  public static Hash32 contentDigest(MessageEnvelope envelope) {
    Optional<byte[]> content = envelope.content();
    if (content.isEmpty()) {
      return envelope.contentDigest().orElseThrow();
    }
    try {
      return Hash32.of(MessageDigest.getInstance("SHA-256").digest(content.get()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Whether {@code a} and {@code b} carry the same content and the same attachments, in order. */
  public static boolean sameContent(MessageEnvelope a, MessageEnvelope b) {
    return contentDigest(a).equals(contentDigest(b)) && a.attachments().equals(b.attachments());
  }
}
