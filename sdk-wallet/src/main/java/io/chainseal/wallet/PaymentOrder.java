package io.chainseal.wallet;

import io.chainseal.core.EvmAddress;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A payment to make exactly once: {@code amount} of {@code token} to {@code to}, named by the caller's
 * {@code paymentId} — the idempotency key. Sending the same id again, after a timeout, a crash or from
 * another thread, never pays twice; an id used before for a different order is refused. Derive the id
 * from what the user did (the chat message that asked to pay, say), not from a fresh random value per
 * attempt.
 *
 * @param paymentId 1–120 characters of {@code [A-Za-z0-9._:/@-]}
 * @param to the recipient
 * @param token what is paid
 * @param amount how much, in the token's units (e.g. 12.5 for 12.5 USDC)
 */
public record PaymentOrder(String paymentId, EvmAddress to, Token token, BigDecimal amount) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/@-]{1,120}");

  public PaymentOrder {
    Objects.requireNonNull(paymentId, "paymentId == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(token, "token == null");
    Objects.requireNonNull(amount, "amount == null");
  }

  /**
   * A checked order.
   *
   * @throws PaymentException INVALID_ID, INVALID_ADDRESS (a malformed address or a wrong EIP-55
   *     checksum) or INVALID_AMOUNT (not positive, or too many decimal places for the token)
   */
  public static PaymentOrder of(String paymentId, String to, Token token, String amount) throws PaymentException {
    EvmAddress recipient;
    try {
      recipient = EvmAddress.fromHex(Objects.requireNonNull(to, "to == null"));
    } catch (IllegalArgumentException e) {
      throw new PaymentException(PaymentException.Reason.INVALID_ADDRESS, "recipient: " + e.getMessage());
    }
    BigDecimal value;
    try {
      value = new BigDecimal(Objects.requireNonNull(amount, "amount == null").trim());
    } catch (NumberFormatException e) {
      throw new PaymentException(PaymentException.Reason.INVALID_AMOUNT, "amount is not a decimal number: '"
          + (amount.length() > 40 ? amount.substring(0, 37) + "..." : amount) + "'");
    }
    return of(paymentId, recipient, token, value);
  }

  /** A checked order; see {@link #of(String, String, Token, String)}. */
  public static PaymentOrder of(String paymentId, EvmAddress to, Token token, BigDecimal amount) throws PaymentException {
    Objects.requireNonNull(paymentId, "paymentId == null");
    if (!ID.matcher(paymentId).matches()) {
      throw new PaymentException(PaymentException.Reason.INVALID_ID,
          "payment id must be 1-120 characters of A-Z a-z 0-9 . _ : / @ -, got " + (paymentId.isEmpty() ? "an empty one" : "'"
              + (paymentId.length() > 40 ? paymentId.substring(0, 37).replaceAll("\\p{Cntrl}", "?") + "..." : paymentId.replaceAll("\\p{Cntrl}", "?")) + "'"));
    }
    if (to.equals(EvmAddress.of(new byte[20]))) {
      throw new PaymentException(PaymentException.Reason.INVALID_ADDRESS, "recipient is the zero address: the payment would be burned");
    }
    token.toBaseUnits(amount); // checks the amount
    return new PaymentOrder(paymentId, to, token, amount);
  }

  /** The amount in the token's smallest unit. */
  public BigInteger baseUnits() {
    try {
      return token.toBaseUnits(amount);
    } catch (PaymentException e) {
      throw new IllegalStateException("an order built without of(...) holds an invalid amount: " + e.getMessage(), e);
    }
  }

  /** What identifies the order's contents, for refusing an id reused for something else. */
  String fingerprint() {
    return to.checksummed() + "|" + token.id() + "|" + baseUnits();
  }
}
