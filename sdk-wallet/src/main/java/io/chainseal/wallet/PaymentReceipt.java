package io.chainseal.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a payer sends the recipient in chat after paying: a claim that transaction {@code transaction}
 * on chain {@code chainId} moved {@code amount} (smallest units) of {@code token} from {@code from} to
 * {@code to}. A claim only: the recipient checks it with a {@link PaymentVerifier}, never trusts it.
 *
 * <p>JSON form ({@link #toJson}): {@code {"type":"chainseal.payment-receipt","version":1,"paymentId":…,
 * "chainId":31337,"transaction":"0x…","from":"0x…","to":"0x…","token":"ETH"|"0x…","amount":"1000"}};
 * the amount is a decimal string of the smallest unit, so no precision is lost in any JSON library.
 *
 * @param paymentId the payer's payment id (for matching with a request; not checked on chain)
 * @param chainId the chain the transaction is on
 * @param transaction the transaction's hash
 * @param from the paying account
 * @param to the recipient
 * @param token the ERC-20 contract, or null for the native coin
 * @param amount the amount in the token's smallest unit (wei for ETH)
 */
public record PaymentReceipt(String paymentId, long chainId, Hash32 transaction, EvmAddress from, EvmAddress to,
    @Nullable EvmAddress token, BigInteger amount) {
  static final String TYPE = "chainseal.payment-receipt";
  private static final int MAX_BYTES = 4096;
  private static final Set<String> FIELDS = Set.of("type", "version", "paymentId", "chainId", "transaction", "from", "to", "token", "amount");

  public PaymentReceipt {
    Objects.requireNonNull(paymentId, "paymentId == null");
    Objects.requireNonNull(transaction, "transaction == null");
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be positive, got " + amount);
    }
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
  }

  /** The receipt as compact JSON, to send in a chat message. */
  public String toJson() {
    ObjectNode node = ChatDocument.create(TYPE);
    node.put("paymentId", paymentId);
    node.put("chainId", chainId);
    node.put("transaction", transaction.hex0x());
    node.put("from", from.checksummed());
    node.put("to", to.checksummed());
    node.put("token", token == null ? "ETH" : token.checksummed());
    node.put("amount", amount.toString());
    return node.toString();
  }

  /**
   * Reads a receipt's JSON, strictly: every field present and well formed, no other field.
   *
   * @throws FormatException naming the offending field
   */
  public static PaymentReceipt fromJson(String json) throws FormatException {
    ChatDocument document = ChatDocument.parse(java.util.Objects.requireNonNull(json, "json == null"), TYPE, FIELDS, MAX_BYTES,
        "payment receipt");
    long chainId = document.positive("chainId");
    java.math.BigInteger amount = document.amount("amount");
    String tokenText = document.text("token");
    String paymentId = document.text("paymentId");
    if (paymentId.isEmpty() || paymentId.length() > 120) {
      throw new FormatException("paymentId", "must be 1 to 120 characters");
    }
    return new PaymentReceipt(paymentId, chainId, document.hash("transaction"), document.address("from"), document.address("to"),
        tokenText.equals("ETH") ? null : document.address("token"), amount);
  }
}
