package io.chainseal.wallet;

import io.chainseal.chain.TypedData;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A request to be paid, as EIP-712 typed data: the EIP-681 fields (recipient, token, amount, chain)
 * plus a request id, an expiry and a memo. The requester signs it ({@link #sign}) so a payer can check
 * who asked ({@link SignedPaymentRequest#verify}); {@link #typedDataJson()} is exactly what
 * {@code eth_signTypedData_v4} takes, so any wallet can sign or show it.
 *
 * @param requestId the requester's id for it: 1–64 characters of {@code [A-Za-z0-9._:-]}
 * @param recipient who is paid
 * @param token the ERC-20 contract, or null for the native coin
 * @param amount the amount in the smallest unit
 * @param chainId the chain to pay on (bound into the signature's domain)
 * @param expiry after this the request must not be paid
 * @param memo what it is for, up to 200 characters (shown to the payer; not checked)
 */
public record PaymentRequest(String requestId, EvmAddress recipient, @Nullable EvmAddress token, BigInteger amount, long chainId,
    Instant expiry, String memo) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  static final String DOMAIN_NAME = "Chainseal Payment Request";
  static final String DOMAIN_VERSION = "1";
  private static final EvmAddress NATIVE = EvmAddress.of(new byte[20]);

  public PaymentRequest {
    Objects.requireNonNull(requestId, "requestId == null");
    Objects.requireNonNull(recipient, "recipient == null");
    Objects.requireNonNull(amount, "amount == null");
    Objects.requireNonNull(expiry, "expiry == null");
    Objects.requireNonNull(memo, "memo == null");
    if (!ID.matcher(requestId).matches()) {
      throw new IllegalArgumentException("request id must be 1-64 characters of A-Z a-z 0-9 . _ : -");
    }
    if (amount.signum() <= 0 || amount.bitLength() > 256) {
      throw new IllegalArgumentException("amount must be a positive uint256, got " + amount);
    }
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    if (expiry.getEpochSecond() <= 0) {
      throw new IllegalArgumentException("expiry must be after 1970");
    }
    if (memo.length() > 200) {
      throw new IllegalArgumentException("memo has at most 200 characters");
    }
    expiry = Instant.ofEpochSecond(expiry.getEpochSecond()); // signed in whole seconds
  }

  /** The same request as an EIP-681 URI (without id, expiry and memo). */
  public PaymentUri toUri() {
    return new PaymentUri(recipient, chainId, token, amount);
  }

  /** The typed data, as {@code eth_signTypedData_v4} takes it. */
  public String typedDataJson() {
    return typedData().json();
  }

  /** The EIP-712 digest the requester signs. */
  public Hash32 digest() {
    return typedData().digest();
  }

  private TypedData typedData() {
    TypedData data = new TypedData("PaymentRequest", DOMAIN_NAME, DOMAIN_VERSION, chainId, null)
        .type("PaymentRequest", "requestId", "string", "recipient", "address", "token", "address", "amount", "uint256",
            "expiry", "uint64", "memo", "string");
    data.message().put("requestId", requestId);
    data.message().put("recipient", recipient.lowercase());
    data.message().put("token", (token == null ? NATIVE : token).lowercase());
    data.message().put("amount", amount.toString());
    data.message().put("expiry", expiry.getEpochSecond());
    data.message().put("memo", memo);
    return data;
  }

  /** Signs the request as {@code requester}. */
  public SignedPaymentRequest sign(EvmSigner requester) {
    EcdsaSignature signature = requester.signChecked(digest());
    return new SignedPaymentRequest(this, requester.address(), signature);
  }
}
