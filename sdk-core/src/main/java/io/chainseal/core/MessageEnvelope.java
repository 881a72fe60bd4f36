package io.chainseal.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One chat message as Chainseal commits to it: who sent what, where and when. Immutable and
 * thread-safe; build one with {@link #builder()}.
 *
 * <p>Text is normalized to Unicode NFC when the envelope is built, so the same visible text from two
 * clients commits alike; timestamps keep millisecond precision. {@link #canonicalBytes()} is the
 * deterministic, unambiguous, versioned encoding specified in {@code docs/proof-format.md}; it is
 * computed once, when the envelope is built. {@link #commit(Salt)} hashes it into the message's
 * commitment.
 *
 * <pre>{@code
 * MessageEnvelope message = MessageEnvelope.builder()
 *     .conversationId("room-42").messageId("m-1001").senderId("alice@example.org")
 *     .timestamp(Instant.now()).text("See you at 10")
 *     .build();
 * Salt salt = Salt.random();
 * Hash32 commitment = message.commit(salt);
 * }</pre>
 */
public final class MessageEnvelope {
  /** Version byte that starts every canonical encoding of this format. */
  public static final int ENCODING_VERSION = 1;
  /** Inline content larger than this must be committed by digest ({@link Builder#contentDigest}). */
  public static final int MAX_INLINE_CONTENT = 16 * 1024 * 1024;
  public static final int MAX_ATTACHMENTS = 256;
  public static final int MAX_HEADERS = 64;
  public static final int MAX_HEADER_VALUE_BYTES = 8192;
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /**
   * Domain tag of commitments: a 0x00 byte, then ASCII {@code CHAINSEAL/COMMITMENT/V1}. Because it
   * starts with RFC 9162's leaf prefix, a commitment is the RFC 9162 leaf hash of
   * {@code "CHAINSEAL/COMMITMENT/V1" ‖ salt ‖ canonical bytes}, and goes into trees as a leaf hash.
   */
  static final byte[] COMMITMENT_TAG = "\0CHAINSEAL/COMMITMENT/V1".getBytes(StandardCharsets.US_ASCII);

  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final byte CONTENT_INLINE = 0x01;
  private static final byte CONTENT_DIGEST = 0x02;

  private final String conversationId;
  private final String messageId;
  private final String senderId;
  private final @Nullable SignerId senderKey;
  private final long timestampMillis;
  /** The canonical encoding, computed once when the envelope is built; inline content lives only here. */
  private final byte[] canonical;
  /** Offset and length of the inline content inside {@link #canonical}; -1 when committed by digest. */
  private final int contentOffset;
  private final int contentLength;
  private final @Nullable Hash32 contentDigest;
  private final List<Hash32> attachments;
  private final @Nullable MessageRef replyTo;
  private final @Nullable MessageRef forwardedFrom;
  private final SortedMap<String, String> headers;

  private MessageEnvelope(Builder b) {
    this.conversationId = required(b.conversationId, "conversationId");
    this.messageId = required(b.messageId, "messageId");
    this.senderId = required(b.senderId, "senderId");
    this.senderKey = b.senderKey;
    this.timestampMillis = required(b.timestamp, "timestamp").toEpochMilli();
    if (b.content == null && b.contentDigest == null) {
      throw new IllegalStateException("content is not set: call text(), content() or contentDigest()");
    }
    this.contentDigest = b.contentDigest;
    this.attachments = List.copyOf(b.attachments);
    this.replyTo = b.replyTo;
    this.forwardedFrom = b.forwardedFrom;
    this.headers = Collections.unmodifiableSortedMap(new TreeMap<>(b.headers));
    CanonicalEncoder out = new CanonicalEncoder(estimateSize(b.content));
    this.contentOffset = encode(out, b.content);
    this.contentLength = b.content == null ? 0 : b.content.length;
    this.canonical = out.toByteArray();
  }

  private static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalStateException(field + " is not set");
    }
    return value;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this envelope's fields, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder()
        .conversationId(conversationId).messageId(messageId).senderId(senderId)
        .timestamp(timestamp());
    if (senderKey != null) {
      b.senderKey(senderKey);
    }
    if (contentOffset >= 0) {
      b.content(Arrays.copyOfRange(canonical, contentOffset, contentOffset + contentLength));
    } else {
      b.contentDigest(Objects.requireNonNull(contentDigest));
    }
    attachments.forEach(b::attachment);
    if (replyTo != null) {
      b.replyTo(replyTo);
    }
    if (forwardedFrom != null) {
      b.forwardedFrom(forwardedFrom);
    }
    headers.forEach(b::header);
    return b;
  }

  public String conversationId() {
    return conversationId;
  }

  public String messageId() {
    return messageId;
  }

  public String senderId() {
    return senderId;
  }

  /** The key or address the sender signs with, if the envelope names one. */
  public Optional<SignerId> senderKey() {
    return Optional.ofNullable(senderKey);
  }

  /** Send time, millisecond precision. */
  public Instant timestamp() {
    return Instant.ofEpochMilli(timestampMillis);
  }

  /** The inline content bytes (a copy), if the content is inline rather than a digest. */
  public Optional<byte[]> content() {
    return contentOffset < 0 ? Optional.empty()
        : Optional.of(Arrays.copyOfRange(canonical, contentOffset, contentOffset + contentLength));
  }

  /** The inline content decoded as UTF-8 text, if it is inline. */
  public Optional<String> text() {
    return contentOffset < 0 ? Optional.empty()
        : Optional.of(new String(canonical, contentOffset, contentLength, StandardCharsets.UTF_8));
  }

  /** The SHA-256 digest the envelope commits to instead of inline content, if any. */
  public Optional<Hash32> contentDigest() {
    return Optional.ofNullable(contentDigest);
  }

  /** SHA-256 digests of the attachments, in order. */
  public List<Hash32> attachments() {
    return attachments;
  }

  public Optional<MessageRef> replyTo() {
    return Optional.ofNullable(replyTo);
  }

  public Optional<MessageRef> forwardedFrom() {
    return Optional.ofNullable(forwardedFrom);
  }

  /** Free-form headers, sorted by name. */
  public SortedMap<String, String> headers() {
    return headers;
  }

  /**
   * The canonical encoding, version {@value #ENCODING_VERSION}: every field in a fixed order, each
   * length-prefixed, so no two different envelopes encode alike. See {@code docs/proof-format.md}.
   */
  public byte[] canonicalBytes() {
    return canonical.clone();
  }

  /** Feeds the canonical encoding to {@code digest} (no copy). */
  void updateDigest(java.security.MessageDigest digest) {
    digest.update(canonical, 0, canonical.length);
  }

  /** Writes the canonical encoding; returns the offset of inline content, or -1. */
  private int encode(CanonicalEncoder out, byte @Nullable [] content) {
    int offset = -1;
    out.u8(ENCODING_VERSION);
    out.string(conversationId);
    out.string(messageId);
    out.string(senderId);
    if (senderKey == null) {
      out.u8(0);
    } else {
      out.u8(1);
      out.string(senderKey.toText());
    }
    out.i64(timestampMillis);
    if (content != null) {
      out.u8(CONTENT_INLINE);
      out.u32(content.length);
      offset = out.size();
      out.raw(content, 0, content.length);
    } else {
      out.u8(CONTENT_DIGEST);
      out.u32(Hash32.LENGTH);
      out.hash(Objects.requireNonNull(contentDigest));
    }
    out.u32(attachments.size());
    for (Hash32 attachment : attachments) {
      out.hash(attachment);
    }
    out.ref(replyTo);
    out.ref(forwardedFrom);
    out.u32(headers.size());
    for (Map.Entry<String, String> header : headers.entrySet()) {
      out.string(header.getKey());
      out.string(header.getValue());
    }
    return offset;
  }

  /**
   * The size of the canonical encoding when every string is ASCII (one byte per char), which is then
   * exact: the encoder's buffer becomes the canonical bytes without a copy, and building an envelope
   * leaves no second buffer behind. Other text makes the encoder grow once and trim.
   */
  private int estimateSize(byte @Nullable [] content) {
    int size = 1 + stringSize(conversationId) + stringSize(messageId) + stringSize(senderId);
    size += senderKey == null ? 1 : 1 + stringSize(senderKey.toText());
    size += 8 + 1 + 4 + (content != null ? content.length : Hash32.LENGTH);
    size += 4 + Hash32.LENGTH * attachments.size();
    size += refSize(replyTo) + refSize(forwardedFrom);
    size += 4;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      size += stringSize(header.getKey()) + stringSize(header.getValue());
    }
    return size;
  }

  private static int stringSize(String s) {
    return 4 + s.length();
  }

  private static int refSize(@Nullable MessageRef ref) {
    return ref == null ? 1 : 1 + stringSize(ref.conversationId()) + stringSize(ref.messageId());
  }

  /**
   * The message's commitment: SHA-256({@code 0x00 ‖ "CHAINSEAL/COMMITMENT/V1"} ‖ salt ‖
   * {@link #canonicalBytes()}). It is also the message's RFC 9162 leaf hash in a batch tree. For
   * batches, a reused {@link Committer} avoids the per-call allocations.
   */
  public Hash32 commit(Salt salt) {
    return new Committer().commit(this, salt);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MessageEnvelope other && Arrays.equals(canonical, other.canonical);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(canonical);
  }

  /** Ids and time only: content is private. */
  @Override
  public String toString() {
    return "MessageEnvelope[conversation=" + conversationId + ", message=" + messageId + ", sender=" + senderId
        + ", at " + timestamp() + "]";
  }

  /** Builds a {@link MessageEnvelope}; {@link #build()} names any missing or invalid field. */
  public static final class Builder {
    private @Nullable String conversationId;
    private @Nullable String messageId;
    private @Nullable String senderId;
    private @Nullable SignerId senderKey;
    private @Nullable Instant timestamp;
    private byte @Nullable [] content;
    private @Nullable Hash32 contentDigest;
    private final List<Hash32> attachments = new ArrayList<>();
    private @Nullable MessageRef replyTo;
    private @Nullable MessageRef forwardedFrom;
    private final TreeMap<String, String> headers = new TreeMap<>();

    private Builder() {}

    public Builder conversationId(String conversationId) {
      this.conversationId = Text.requireId(conversationId, "conversationId");
      return this;
    }

    public Builder messageId(String messageId) {
      this.messageId = Text.requireId(messageId, "messageId");
      return this;
    }

    public Builder senderId(String senderId) {
      this.senderId = Text.requireId(senderId, "senderId");
      return this;
    }

    /** The key or address the sender signs with; the verifier checks a signature against it. */
    public Builder senderKey(SignerId senderKey) {
      this.senderKey = Objects.requireNonNull(senderKey, "senderKey == null");
      return this;
    }

    /**
     * Send time, from year 0000 to 9999 (what RFC 3339 can write); anything finer than a millisecond is
     * dropped (truncated toward the past).
     */
    public Builder timestamp(Instant timestamp) {
      Objects.requireNonNull(timestamp, "timestamp == null");
      if (timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST)) {
        throw new IllegalArgumentException("timestamp out of range (years 0000-9999): " + timestamp);
      }
      this.timestamp = timestamp;
      return this;
    }

    /** Inline text content, normalized to NFC and encoded as UTF-8. Replaces any earlier content. */
    public Builder text(String text) {
      return content(Text.normalize(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** Inline binary content (copied). Replaces any earlier content. */
    public Builder content(byte[] content) {
      Objects.requireNonNull(content, "content == null");
      if (content.length > MAX_INLINE_CONTENT) {
        throw new IllegalArgumentException("inline content is " + content.length + " bytes, more than "
            + MAX_INLINE_CONTENT + ": commit it by digest instead");
      }
      this.content = content.clone();
      this.contentDigest = null;
      return this;
    }

    /** Commits to content by its SHA-256 digest instead of inline bytes. Replaces any earlier content. */
    public Builder contentDigest(Hash32 sha256) {
      this.contentDigest = Objects.requireNonNull(sha256, "sha256 == null");
      this.content = null;
      return this;
    }

    /** Adds an attachment by its SHA-256 digest. */
    public Builder attachment(Hash32 sha256) {
      Objects.requireNonNull(sha256, "sha256 == null");
      if (attachments.size() == MAX_ATTACHMENTS) {
        throw new IllegalArgumentException("more than " + MAX_ATTACHMENTS + " attachments");
      }
      attachments.add(sha256);
      return this;
    }

    public Builder replyTo(MessageRef replyTo) {
      this.replyTo = Objects.requireNonNull(replyTo, "replyTo == null");
      return this;
    }

    public Builder forwardedFrom(MessageRef forwardedFrom) {
      this.forwardedFrom = Objects.requireNonNull(forwardedFrom, "forwardedFrom == null");
      return this;
    }

    /**
     * Sets a header. Names are 1–128 characters of {@code [A-Za-z0-9._-]}; values are NFC text of at
     * most {@value MessageEnvelope#MAX_HEADER_VALUE_BYTES} UTF-8 bytes.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name == null");
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("header name must be 1-128 characters of [A-Za-z0-9._-]: "
            + Hash32.abbreviate(name));
      }
      String normalized = Text.normalize(value, "header " + name);
      if (normalized.getBytes(StandardCharsets.UTF_8).length > MAX_HEADER_VALUE_BYTES) {
        throw new IllegalArgumentException("header " + name + " is longer than " + MAX_HEADER_VALUE_BYTES + " bytes");
      }
      if (!headers.containsKey(name) && headers.size() == MAX_HEADERS) {
        throw new IllegalArgumentException("more than " + MAX_HEADERS + " headers");
      }
      headers.put(name, normalized);
      return this;
    }

    /**
     * Builds the envelope.
     *
     * @throws IllegalStateException naming the first required field that is not set
     * @throws IllegalArgumentException naming the first field that is invalid
     */
    public MessageEnvelope build() {
      return new MessageEnvelope(this);
    }
  }
}
