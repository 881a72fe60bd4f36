package io.chainseal.core;

import io.chainseal.core.internal.NodeHasher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signed statement of what a {@link MessageStore} erased, and when — for the host's records of
 * erasure requests (GDPR art. 17). It names each erased message by its id and commitment, so it can be
 * checked against the anchored proofs: the commitment was anchored (the message existed), and the store
 * can no longer produce the content or salt behind it.
 *
 * <p>The signature is over the SHA-256 of {@link #statement()}: the line {@code chainseal-erasure/1},
 * then {@code scope=}, {@code subject=}, {@code erasedAt=} (ISO-8601), then one line per message
 * {@code <conversation id> <message id> <commitment hex>} (ids percent-encoded as in URLs), each line
 * ending in a newline.
 *
 * @param scope what was asked to be erased
 * @param subject the message ref, sender id or conversation id named
 * @param erased the messages erased by this request (those erased before are not repeated)
 * @param erasedAt when
 * @param signature the store operator's signature
 */
public record ErasureReceipt(Scope scope, String subject, List<Erased> erased, Instant erasedAt, MessageSignature signature) {
  /** What an erasure request named. */
  public enum Scope { MESSAGE, SENDER, CONVERSATION, RETENTION }

  /**
   * One erased message.
   *
   * @param ref its ids
   * @param commitment the commitment anchored for it
   */
  public record Erased(MessageRef ref, Hash32 commitment) {
    public Erased {
      Objects.requireNonNull(ref, "ref == null");
      Objects.requireNonNull(commitment, "commitment == null");
    }
  }

  public ErasureReceipt {
    Objects.requireNonNull(scope, "scope == null");
    Objects.requireNonNull(subject, "subject == null");
    Objects.requireNonNull(erasedAt, "erasedAt == null");
    Objects.requireNonNull(signature, "signature == null");
    erased = List.copyOf(erased);
  }

  /** Signs a receipt with the store operator's key. */
  public static ErasureReceipt sign(Scope scope, String subject, List<Erased> erased, Instant erasedAt, Signer signer) {
    return new ErasureReceipt(scope, subject, erased, erasedAt, signer.sign(digest(statement(scope, subject, erased, erasedAt))));
  }

  /** The signed text (see the class description). */
  public String statement() {
    return statement(scope, subject, erased, erasedAt);
  }

  private static String statement(Scope scope, String subject, List<Erased> erased, Instant erasedAt) {
    StringBuilder out = new StringBuilder("chainseal-erasure/1\n");
    out.append("scope=").append(scope.name()).append('\n');
    out.append("subject=").append(encode(subject)).append('\n');
    out.append("erasedAt=").append(erasedAt).append('\n');
    for (Erased message : List.copyOf(erased)) {
      out.append(encode(message.ref().conversationId())).append(' ').append(encode(message.ref().messageId())).append(' ')
          .append(message.commitment().hex()).append('\n');
    }
    return out.toString();
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static Hash32 digest(String statement) {
    return Hash32.of(NodeHasher.newSha256().digest(statement.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The receipt whose {@link #statement()} is {@code statement}, with {@code signature} (as kept by a
   * store; check it with {@link #verify}).
   *
   * @throws IllegalArgumentException if {@code statement} is not a receipt statement
   */
  public static ErasureReceipt parse(String statement, MessageSignature signature) {
    String[] lines = statement.split("\n", -1);
    if (lines.length < 5 || !lines[0].equals("chainseal-erasure/1") || !lines[1].startsWith("scope=") || !lines[2].startsWith("subject=")
        || !lines[3].startsWith("erasedAt=") || !lines[lines.length - 1].isEmpty()) {
      throw new IllegalArgumentException("not an erasure receipt statement");
    }
    List<Erased> erased = new java.util.ArrayList<>();
    for (int i = 4; i < lines.length - 1; i++) {
      String[] parts = lines[i].split(" ", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("line " + (i + 1) + " of the receipt statement is not `conversation message commitment`");
      }
      erased.add(new Erased(new MessageRef(decode(parts[0]), decode(parts[1])), Hash32.fromHex(parts[2])));
    }
    ErasureReceipt receipt = new ErasureReceipt(Scope.valueOf(lines[1].substring(6)), decode(lines[2].substring(8)), erased,
        Instant.parse(lines[3].substring(9)), signature);
    if (!receipt.statement().equals(statement)) {
      throw new IllegalArgumentException("the receipt statement is not in canonical form");
    }
    return receipt;
  }

  private static String decode(String text) {
    return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** Whether the signature is valid over the statement and by {@code operator}. */
  public boolean verify(SignerId operator) {
    return signature.signer().equals(operator) && SignatureVerifier.verify(digest(statement()), signature).valid();
  }

  @Override
  public String toString() {
    return "ErasureReceipt[" + scope + " " + subject + ", " + erased.size() + " messages, " + erasedAt + "]";
  }
}
