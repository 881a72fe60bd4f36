package io.chainseal.wallet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.FormatException;
import java.math.BigInteger;
import java.time.Instant;
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
    ObjectNode node = ChatDocument.create(TYPE);
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
    ChatDocument document = ChatDocument.parse(Objects.requireNonNull(json, "json == null"), TYPE, FIELDS, 4096, "payment request");
    BigInteger amount = document.amount("amount");
    long chainId = document.positive("chainId");
    long expiry = document.positive("expiry");
    String token = document.text("token");
    EcdsaSignature signature;
    try {
      signature = EcdsaSignature.ofHex(document.text("signature"));
    } catch (IllegalArgumentException e) {
      throw new FormatException("signature", String.valueOf(e.getMessage()));
    }
    try {
      PaymentRequest request = new PaymentRequest(document.text("requestId"), document.address("recipient"),
          token.equals("ETH") ? null : document.address("token"), amount, chainId, Instant.ofEpochSecond(expiry),
          document.text("memo"));
      return new SignedPaymentRequest(request, document.address("requester"), signature);
    } catch (IllegalArgumentException e) {
      throw new FormatException("", String.valueOf(e.getMessage()));
    }
  }
}
