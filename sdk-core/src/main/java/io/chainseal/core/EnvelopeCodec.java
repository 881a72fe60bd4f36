package io.chainseal.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link MessageEnvelope}s as JSON documents ({@code docs/proof-format.md}), for
 * export files, dispute bundles and the command line. The JSON form is for exchange only: the
 * commitment is always over {@link MessageEnvelope#canonicalBytes()}.
 *
 * <p>Content is written as {@code {"text": ...}} when it is UTF-8 text already in NFC (so it reads
 * back to the same bytes), as {@code {"base64": ...}} otherwise, or as {@code {"sha256": ...}} for a
 * digest. Parsing is strict, like {@link ProofCodec}. Thread-safe.
 */
public final class EnvelopeCodec {
  public static final int MAX_DOCUMENT_BYTES = 24 * 1024 * 1024;

  private static final Set<String> TOP = Set.of("conversationId", "messageId", "senderId", "senderKey", "timestamp",
      "content", "attachments", "replyTo", "forwardedFrom", "headers");
  private static final Set<String> REF = Set.of("conversationId", "messageId");

  private EnvelopeCodec() {}

  public static String toJson(MessageEnvelope envelope) {
    Objects.requireNonNull(envelope, "envelope == null");
    ObjectNode root = JsonReading.MAPPER.createObjectNode();
    root.put("conversationId", envelope.conversationId());
    root.put("messageId", envelope.messageId());
    root.put("senderId", envelope.senderId());
    envelope.senderKey().ifPresent(key -> root.put("senderKey", key.toText()));
    root.put("timestamp", io.chainseal.core.internal.Rfc3339.format(envelope.timestamp()));
    ObjectNode content = root.putObject("content");
    if (envelope.content().isPresent()) {
      byte[] bytes = envelope.content().get();
      String text = nfcTextOrNull(bytes);
      if (text != null) {
        content.put("text", text);
      } else {
        content.put("base64", Base64.getEncoder().encodeToString(bytes));
      }
    } else {
      content.put("sha256", envelope.contentDigest().orElseThrow().hex());
    }
    if (!envelope.attachments().isEmpty()) {
      var array = root.putArray("attachments");
      envelope.attachments().forEach(a -> array.add(a.hex()));
    }
    envelope.replyTo().ifPresent(ref -> writeRef(root.putObject("replyTo"), ref));
    envelope.forwardedFrom().ifPresent(ref -> writeRef(root.putObject("forwardedFrom"), ref));
    if (!envelope.headers().isEmpty()) {
      ObjectNode headers = root.putObject("headers");
      envelope.headers().forEach(headers::put);
    }
    try {
      return JsonReading.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an envelope document", e);
    }
  }

  private static void writeRef(ObjectNode node, MessageRef ref) {
    node.put("conversationId", ref.conversationId());
    node.put("messageId", ref.messageId());
  }

  private static @Nullable String nfcTextOrNull(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
      return Normalizer.isNormalized(text, Normalizer.Form.NFC) ? text : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The message file form: {@code {"envelope": {...}, "salt": "<64 hex>"}}. */
  public static String toJson(SaltedEnvelope message) {
    Objects.requireNonNull(message, "message == null");
    ObjectNode root = JsonReading.MAPPER.createObjectNode();
    try {
      root.set("envelope", JsonReading.MAPPER.readTree(toJson(message.envelope())));
      root.put("salt", message.salt().toHex());
      return JsonReading.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a message file", e);
    }
  }

  /** Parses a message file: an envelope document and its salt. */
  public static SaltedEnvelope parseSalted(byte[] json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    try {
      ObjectNode root = JsonReading.parseObject(json, MAX_DOCUMENT_BYTES, "message file");
      JsonReading.allowOnly(root, "", Set.of("envelope", "salt"));
      ObjectNode envelope = JsonReading.object(root, "", "envelope");
      MessageEnvelope parsed;
      try {
        parsed = read(envelope);
      } catch (FormatException e) {
        throw new FormatException(e.field().isEmpty() ? "envelope" : "envelope." + e.field(),
            e.getMessage().substring(e.field().isEmpty() ? 0 : e.field().length() + 2));
      }
      String saltHex = JsonReading.text(root, "", "salt");
      try {
        return new SaltedEnvelope(parsed, Salt.fromHex(saltHex));
      } catch (IllegalArgumentException e) {
        throw new FormatException("salt", String.valueOf(e.getMessage()));
      }
    } catch (RuntimeException e) {
      throw new FormatException("", "unreadable message file (" + e.getClass().getSimpleName() + ")");
    }
  }

  public static MessageEnvelope parse(String json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  public static MessageEnvelope parse(InputStream in) throws FormatException, IOException {
    return parse(JsonReading.readBounded(in, MAX_DOCUMENT_BYTES));
  }

  public static MessageEnvelope parse(byte[] json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    try {
      return read(JsonReading.parseObject(json, MAX_DOCUMENT_BYTES, "envelope"));
    } catch (RuntimeException e) {
      throw new FormatException("", "unreadable envelope (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static MessageEnvelope read(ObjectNode root) throws FormatException {
    JsonReading.allowOnly(root, "", TOP);
    MessageEnvelope.Builder b = MessageEnvelope.builder();
    apply("conversationId", () -> b.conversationId(JsonReading.text(root, "", "conversationId")));
    apply("messageId", () -> b.messageId(JsonReading.text(root, "", "messageId")));
    apply("senderId", () -> b.senderId(JsonReading.text(root, "", "senderId")));
    String senderKey = JsonReading.optionalText(root, "", "senderKey");
    if (senderKey != null) {
      apply("senderKey", () -> b.senderKey(SignerId.parse(senderKey)));
    }
    String timestamp = JsonReading.text(root, "", "timestamp");
    Instant time = io.chainseal.core.internal.Rfc3339.parseMillis(timestamp);
    if (time == null) {
      throw new FormatException("timestamp", "must be an RFC 3339 UTC time such as 2026-01-31T12:00:00.123Z");
    }
    apply("timestamp", () -> b.timestamp(time));
    ObjectNode content = JsonReading.object(root, "", "content");
    if (content.size() != 1) {
      throw new FormatException("content", "must have exactly one of text, base64, sha256");
    }
    String kind = content.fieldNames().next();
    switch (kind) {
      case "text" -> apply("content.text", () -> b.text(JsonReading.text(content, "content", "text")));
      case "base64" -> {
        String encoded = JsonReading.text(content, "content", "base64");
        byte[] decoded;
        try {
          decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
          throw new FormatException("content.base64", "is not base64 (RFC 4648 standard alphabet, padded)");
        }
        // Only the one canonical spelling: padded, no stray bits, so two files never differ in form alone.
        if (!Base64.getEncoder().encodeToString(decoded).equals(encoded)) {
          throw new FormatException("content.base64", "is not canonical base64 (RFC 4648 standard alphabet, '=' padding,"
              + " zero pad bits)");
        }
        apply("content.base64", () -> b.content(decoded));
      }
      case "sha256" -> b.contentDigest(JsonReading.hash(content, "content", "sha256"));
      default -> throw new FormatException("content." + kind, "unknown field (expected text, base64 or sha256)");
    }
    if (root.has("attachments")) {
      for (Hash32 attachment : JsonReading.hashes(root, "", "attachments", MessageEnvelope.MAX_ATTACHMENTS)) {
        b.attachment(attachment);
      }
    }
    MessageRef replyTo = ref(root, "replyTo");
    if (replyTo != null) {
      b.replyTo(replyTo);
    }
    MessageRef forwardedFrom = ref(root, "forwardedFrom");
    if (forwardedFrom != null) {
      b.forwardedFrom(forwardedFrom);
    }
    ObjectNode headers = JsonReading.optionalObject(root, "", "headers");
    if (headers != null) {
      Iterator<Map.Entry<String, JsonNode>> fields = headers.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> header = fields.next();
        String field = "headers." + header.getKey();
        if (!header.getValue().isTextual()) {
          throw new FormatException(field, "must be a string");
        }
        apply(field, () -> b.header(header.getKey(), header.getValue().asText()));
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new FormatException("", String.valueOf(e.getMessage()));
    }
  }

  private static @Nullable MessageRef ref(ObjectNode root, String name) throws FormatException {
    ObjectNode node = JsonReading.optionalObject(root, "", name);
    if (node == null) {
      return null;
    }
    JsonReading.allowOnly(node, name, REF);
    String conversationId = JsonReading.text(node, name, "conversationId");
    String messageId = JsonReading.text(node, name, "messageId");
    try {
      return new MessageRef(conversationId, messageId);
    } catch (IllegalArgumentException e) {
      throw new FormatException(name, String.valueOf(e.getMessage()));
    }
  }

  private interface Step {
    void run() throws FormatException;
  }

  private static void apply(String field, Step step) throws FormatException {
    try {
      step.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new FormatException(field, String.valueOf(e.getMessage()));
    }
  }
}
