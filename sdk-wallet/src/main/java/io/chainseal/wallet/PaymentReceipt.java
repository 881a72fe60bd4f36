package io.chainseal.wallet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import io.chainseal.core.Hash32;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Iterator;
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
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

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
    ObjectNode node = JSON.createObjectNode();
    node.put("type", TYPE);
    node.put("version", 1);
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
    Objects.requireNonNull(json, "json == null");
    if (json.length() > MAX_BYTES) {
      throw new FormatException("", "a payment receipt has at most " + MAX_BYTES + " characters, this one " + json.length());
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new FormatException("", "not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new FormatException("", "not a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new FormatException(name, "unknown field");
      }
    }
    if (!TYPE.equals(text(root, "type"))) {
      throw new FormatException("type", "must be \"" + TYPE + "\"");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != 1) {
      throw new FormatException("version", "must be 1");
    }
    JsonNode chain = root.get("chainId");
    if (chain == null || !chain.canConvertToLong() || !chain.isIntegralNumber() || chain.longValue() <= 0) {
      throw new FormatException("chainId", "must be a positive whole number");
    }
    String amountText = text(root, "amount");
    if (!amountText.matches("[1-9][0-9]{0,77}")) {
      throw new FormatException("amount", "must be a positive whole number of the smallest unit, as a string");
    }
    String tokenText = text(root, "token");
    String paymentId = text(root, "paymentId");
    if (paymentId.isEmpty() || paymentId.length() > 120) {
      throw new FormatException("paymentId", "must be 1 to 120 characters");
    }
    return new PaymentReceipt(paymentId, chain.longValue(), hash(root, "transaction"), address(root, "from"), address(root, "to"),
        tokenText.equals("ETH") ? null : address(root, "token"), new BigInteger(amountText));
  }

  private static String text(JsonNode root, String field) throws FormatException {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual()) {
      throw new FormatException(field, "missing, or not a string");
    }
    return value.textValue();
  }

  private static EvmAddress address(JsonNode root, String field) throws FormatException {
    try {
      return EvmAddress.fromHex(text(root, field));
    } catch (IllegalArgumentException e) {
      throw new FormatException(field, e.getMessage());
    }
  }

  private static Hash32 hash(JsonNode root, String field) throws FormatException {
    try {
      return Hash32.fromHex(text(root, field));
    } catch (IllegalArgumentException e) {
      throw new FormatException(field, "not a 32-byte hex hash");
    }
  }
}
