package io.chainseal.wallet;

import io.chainseal.core.EvmAddress;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a payment moves: the chain's native coin ({@link #ETH}) or an ERC-20 token, with the number
 * of decimals that turns an amount a person reads ("12.5") into the integer the chain moves. Read an
 * ERC-20 token's decimals from the chain with {@link Payments#token(EvmAddress)}; never guess them.
 *
 * @param contract the token's contract, or null for the native coin
 * @param symbol a short name for people (from the contract, not trusted for anything)
 * @param decimals digits after the decimal point, 0–77
 */
public record Token(@Nullable EvmAddress contract, String symbol, int decimals) {
  /** The chain's native coin (ether on Ethereum), 18 decimals. */
  public static final Token ETH = new Token(null, "ETH", 18);

  public Token {
    Objects.requireNonNull(symbol, "symbol == null");
    if (decimals < 0 || decimals > 77) {
      throw new IllegalArgumentException("decimals must be 0 to 77, got " + decimals);
    }
  }

  /** An ERC-20 token whose decimals the caller knows (read them from the contract). */
  public static Token erc20(EvmAddress contract, String symbol, int decimals) {
    return new Token(Objects.requireNonNull(contract, "contract == null"), symbol, decimals);
  }

  public boolean isNative() {
    return contract == null;
  }

  /** The token's contract, empty for the native coin. */
  public Optional<EvmAddress> contractAddress() {
    return Optional.ofNullable(contract);
  }

  /** {@code "ETH"} for the native coin, else the contract's checksummed address: how journals and receipts name it. */
  public String id() {
    return contract == null ? "ETH" : contract.checksummed();
  }

  /**
   * The amount in the token's smallest unit.
   *
   * @throws PaymentException (INVALID_AMOUNT) if it is not positive or has more decimal places than the token
   */
  public BigInteger toBaseUnits(BigDecimal amount) throws PaymentException {
    Objects.requireNonNull(amount, "amount == null");
    if (amount.signum() <= 0) {
      throw new PaymentException(PaymentException.Reason.INVALID_AMOUNT, "amount must be positive, got " + amount.toPlainString());
    }
    BigDecimal scaled = amount.movePointRight(decimals);
    try {
      return scaled.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new PaymentException(PaymentException.Reason.INVALID_AMOUNT, "amount " + amount.toPlainString() + " has more than "
          + decimals + " decimal places, the most " + symbol + " has");
    }
  }

  /** {@code units} of the smallest unit as an amount, without trailing zeros. */
  public BigDecimal fromBaseUnits(BigInteger units) {
    BigDecimal amount = new BigDecimal(units, decimals).stripTrailingZeros();
    return amount.scale() < 0 ? amount.setScale(0) : amount;
  }

  @Override
  public String toString() {
    return contract == null ? symbol : symbol + "@" + contract.checksummed();
  }
}
