package io.chainseal.wallet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link PaymentRequest} with its requester's EIP-712 signature: what travels in a chat message.
 * A payer checks it with {@link #verify} (the signature is the expected requester's, the chain is
 * the payer's, it has not expired) before paying it with {@link Payments#pay}, which refuses to pay
 * the same request twice.
 *
 * @param request what is asked
 * @param requester who claims to ask (checked against the signature by {@link #verify})
 * @param signature the requester's signature over {@link PaymentRequest#digest()}
 */
public record SignedPaymentRequest(PaymentRequest request, EvmAddress requester, EcdsaSignature signature) {
  static final String TYPE = "chainseal.payment-request";
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> FIELDS = Set.of("type", "version", "requestId", "recipient", "token", "amount", "chainId", "expiry",
      "memo", "requester", "signature");

  public SignedPaymentRequest {
    Objects.requireNonNull(request, "request == null");
    Objects.requireNonNull(requester, "requester == null");
    Objects.requireNonNull(signature, "signature == null");
  }

  /**
   * Checks that {@code expectedRequester} signed the request, for {@code chainId}, and that it has not
   * expired at {@code now}.
   *
   * @throws PaymentException REQUEST_NOT_TRUSTED (another signer, or a forged signature), WRONG_CHAIN or
   *     REQUEST_EXPIRED
   */
  public void verify(EvmAddress expectedRequester, long chainId, Instant now) throws PaymentException {
    Objects.requireNonNull(expectedRequester, "expectedRequester == null");
    Objects.requireNonNull(now, "now == null");
    if (!requester.equals(expectedRequester)) {
      throw new PaymentException(PaymentException.Reason.REQUEST_NOT_TRUSTED, "the request claims to be from " + requester
          + ", not " + expectedRequester);
    }
    if (!signature.recover(request.digest()).map(expectedRequester::equals).orElse(false)) {
      throw new PaymentException(PaymentException.Reason.REQUEST_NOT_TRUSTED, "the request's signature is not " + expectedRequester + "'s");
    }
    if (request.chainId() != chainId) {
      throw new PaymentException(PaymentException.Reason.WRONG_CHAIN, "the request is for chain " + request.chainId() + ", not " + chainId);
    }
    if (!now.isBefore(request.expiry())) {
      throw new PaymentException(PaymentException.Reason.REQUEST_EXPIRED, "the request expired at " + request.expiry());
    }
  }

  /** Compact JSON for a chat message. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", TYPE);
    node.put("version", 1);
    node.put("requestId", request.requestId());
    node.put("recipient", request.recipient().checksummed());
    node.put("token", request.token() == null ? "ETH" : request.token().checksummed());
    node.put("amount", request.amount().toString());
    node.put("chainId", request.chainId());
    node.put("expiry", request.expiry().getEpochSecond());
    node.put("memo", request.memo());
    node.put("requester", requester.checksummed());
    node.put("signature", signature.hex0x());
    return node.toString();
  }

  /**
   * Reads {@link #toJson()}'s form strictly. The signature is not checked here: call {@link #verify}.
   *
   * @throws FormatException naming the offending field
   */
  public static SignedPaymentRequest fromJson(String json) throws FormatException {
    Objects.requireNonNull(json, "json == null");
    if (json.length() > 4096) {
      throw new FormatException("", "a payment request has at most 4096 characters");
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
    if (root.get("version") == null || !root.get("version").isInt() || root.get("version").intValue() != 1) {
      throw new FormatException("version", "must be 1");
    }
    String amount = text(root, "amount");
    if (!amount.matches("[1-9][0-9]{0,77}")) {
      throw new FormatException("amount", "must be a positive whole number of the smallest unit, as a string");
    }
    long chainId = positive(root, "chainId");
    long expiry = positive(root, "expiry");
    String token = text(root, "token");
    try {
      PaymentRequest request = new PaymentRequest(text(root, "requestId"), address(root, "recipient"),
          token.equals("ETH") ? null : address(root, "token"), new BigInteger(amount), chainId, Instant.ofEpochSecond(expiry),
          text(root, "memo"));
      EcdsaSignature signature;
      try {
        signature = EcdsaSignature.ofHex(text(root, "signature"));
      } catch (IllegalArgumentException e) {
        throw new FormatException("signature", e.getMessage());
      }
      return new SignedPaymentRequest(request, address(root, "requester"), signature);
    } catch (IllegalArgumentException e) {
      throw new FormatException("", e.getMessage());
    }
  }

  private static long positive(JsonNode root, String field) throws FormatException {
    JsonNode value = root.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
      throw new FormatException(field, "must be a positive whole number");
    }
    return value.longValue();
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
}
