package io.chainseal.wallet;

import io.chainseal.core.EvmAddress;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An EIP-681 payment request URI, the form wallets scan from QR codes and links: native
 * ({@code ethereum:0xRecipient@1?value=2.5e18}) or an ERC-20 transfer
 * ({@code ethereum:0xToken@1/transfer?address=0xRecipient&uint256=1e6}). Amounts are in the smallest
 * unit (wei, or the token's), as EIP-681 writes them; {@link #toOrder} turns one into a
 * {@link PaymentOrder} once the token's decimals are known.
 *
 * <p>{@link #parse} is strict: ENS names, functions other than {@code transfer}, unknown parameters,
 * fractional or negative amounts and exponents beyond 77 digits are refused with a
 * {@link PaymentUriException} naming the problem. (Written here because Web3j has no EIP-681 parser.)
 *
 * @param to who is paid
 * @param chainId the chain, if the URI names one
 * @param token the ERC-20 contract, or null for the native coin
 * @param amount the amount in the smallest unit, or null if the payer chooses
 */
public record PaymentUri(EvmAddress to, @Nullable Long chainId, @Nullable EvmAddress token, @Nullable BigInteger amount) {
  private static final Set<String> GAS_PARAMETERS = Set.of("gas", "gasLimit", "gasPrice");
  private static final int MAX_LENGTH = 2048;

  public PaymentUri {
    Objects.requireNonNull(to, "to == null");
    if (chainId != null && chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    if (amount != null && amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative, got " + amount);
    }
  }

  /** A request for native coin. */
  public static PaymentUri ether(EvmAddress to, long chainId, BigInteger wei) {
    return new PaymentUri(to, chainId, null, Objects.requireNonNull(wei, "wei == null"));
  }

  /** A request for an ERC-20 transfer. */
  public static PaymentUri token(EvmAddress token, EvmAddress to, long chainId, BigInteger units) {
    return new PaymentUri(to, chainId, Objects.requireNonNull(token, "token == null"), Objects.requireNonNull(units, "units == null"));
  }

  public OptionalLong chain() {
    return chainId == null ? OptionalLong.empty() : OptionalLong.of(chainId);
  }

  public Optional<BigInteger> requestedAmount() {
    return Optional.ofNullable(amount);
  }

  /** The URI's text: {@code ethereum:} target {@code @chain} [{@code /transfer}] {@code ?} parameters. */
  public String toUri() {
    StringBuilder uri = new StringBuilder("ethereum:").append(token != null ? token.checksummed() : to.checksummed());
    if (chainId != null) {
      uri.append('@').append(chainId);
    }
    if (token != null) {
      uri.append("/transfer?address=").append(to.checksummed());
      if (amount != null) {
        uri.append("&uint256=").append(amount);
      }
    } else if (amount != null) {
      uri.append("?value=").append(amount);
    }
    return uri.toString();
  }

  /**
   * The order paying this request with {@code token} (whose decimals the caller read from the chain)
   * from chain {@code payerChainId}.
   *
   * @throws PaymentException if the request names another chain (WRONG_CHAIN), the token is not the
   *     one requested, no amount is requested, or the order is invalid
   */
  public PaymentOrder toOrder(String paymentId, Token token, long payerChainId) throws PaymentException {
    Objects.requireNonNull(token, "token == null");
    if (chainId != null && chainId != payerChainId) {
      throw new PaymentException(PaymentException.Reason.WRONG_CHAIN, "the request is for chain " + chainId + ", the payer is on chain "
          + payerChainId + ": addresses and tokens may differ there");
    }
    if (!Objects.equals(token.contract(), this.token)) {
      throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "the request asks for " + (this.token == null ? "ETH"
          : "token " + this.token) + ", not " + token);
    }
    if (amount == null) {
      throw new PaymentException(PaymentException.Reason.INVALID_AMOUNT, "the request names no amount");
    }
    return PaymentOrder.of(paymentId, to, token, token.fromBaseUnits(amount));
  }

  /**
   * Reads an EIP-681 URI.
   *
   * @throws PaymentUriException naming what is wrong
   */
  public static PaymentUri parse(String text) throws PaymentUriException {
    Objects.requireNonNull(text, "text == null");
    if (text.length() > MAX_LENGTH) {
      throw new PaymentUriException(PaymentUriException.Reason.MALFORMED, "a payment URI has at most " + MAX_LENGTH + " characters");
    }
    if (!text.regionMatches(true, 0, "ethereum:", 0, 9)) {
      throw new PaymentUriException(PaymentUriException.Reason.MALFORMED, "not an ethereum: URI");
    }
    String rest = text.substring(9);
    if (rest.startsWith("pay-")) {
      rest = rest.substring(4);
    }
    String query = null;
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    String function = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      function = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    Long chainId = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String chain = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!chain.matches("[1-9][0-9]{0,18}")) {
        throw new PaymentUriException(PaymentUriException.Reason.INVALID_CHAIN_ID, "chain id '" + clip(chain) + "' is not a positive whole number");
      }
      chainId = Long.parseLong(chain);
    }
    EvmAddress target = address(rest, "target");
    Map<String, String> parameters = parameters(query);
    if (function == null) {
      for (String name : parameters.keySet()) {
        if (!name.equals("value") && !GAS_PARAMETERS.contains(name)) {
          throw new PaymentUriException(PaymentUriException.Reason.INVALID_PARAMETER, "unknown parameter '" + clip(name) + "' for a native payment");
        }
      }
      String value = parameters.get("value");
      return new PaymentUri(target, chainId, null, value == null ? null : number(value, "value"));
    }
    if (!function.equals("transfer")) {
      throw new PaymentUriException(PaymentUriException.Reason.UNSUPPORTED_FUNCTION, "function '" + clip(function)
          + "' is not supported; only ERC-20 transfer");
    }
    for (String name : parameters.keySet()) {
      if (!name.equals("address") && !name.equals("uint256") && !GAS_PARAMETERS.contains(name)) {
        throw new PaymentUriException(PaymentUriException.Reason.INVALID_PARAMETER, "unknown parameter '" + clip(name) + "' for transfer");
      }
    }
    String recipient = parameters.get("address");
    if (recipient == null) {
      throw new PaymentUriException(PaymentUriException.Reason.INVALID_PARAMETER, "transfer needs an address parameter");
    }
    String units = parameters.get("uint256");
    return new PaymentUri(address(recipient, "address"), chainId, target, units == null ? null : number(units, "uint256"));
  }

  private static Map<String, String> parameters(@Nullable String query) throws PaymentUriException {
    Map<String, String> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new PaymentUriException(PaymentUriException.Reason.MALFORMED, "parameter '" + clip(pair) + "' is not name=value");
      }
      String name;
      String value;
      try {
        name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
        value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new PaymentUriException(PaymentUriException.Reason.MALFORMED, "parameter '" + clip(pair) + "' has a broken %-escape");
      }
      if (out.put(name, value) != null) {
        throw new PaymentUriException(PaymentUriException.Reason.INVALID_PARAMETER, "parameter '" + clip(name) + "' is given twice");
      }
    }
    return out;
  }

  private static EvmAddress address(String text, String what) throws PaymentUriException {
    if (!text.startsWith("0x") && !text.startsWith("0X") && text.contains(".")) {
      throw new PaymentUriException(PaymentUriException.Reason.ENS_NOT_SUPPORTED, what + " '" + clip(text)
          + "' is an ENS name; give the address");
    }
    try {
      return EvmAddress.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new PaymentUriException(PaymentUriException.Reason.INVALID_ADDRESS, what + ": " + e.getMessage());
    }
  }

  /** An EIP-681 number ({@code 2.014e18}, {@code 1000}) that must come out a non-negative whole number. */
  private static BigInteger number(String text, String what) throws PaymentUriException {
    if (!text.matches("[0-9]{1,78}(\\.[0-9]{1,78})?([eE][0-9]{1,2})?")) {
      throw new PaymentUriException(PaymentUriException.Reason.INVALID_NUMBER, what + " '" + clip(text)
          + "' is not a non-negative EIP-681 number");
    }
    BigDecimal value = new BigDecimal(text);
    if (value.precision() - value.scale() > 78) {
      throw new PaymentUriException(PaymentUriException.Reason.INVALID_NUMBER, what + " '" + clip(text) + "' is larger than a uint256");
    }
    try {
      BigInteger whole = value.toBigIntegerExact();
      if (whole.bitLength() > 256) {
        throw new PaymentUriException(PaymentUriException.Reason.INVALID_NUMBER, what + " '" + clip(text) + "' is larger than a uint256");
      }
      return whole;
    } catch (ArithmeticException e) {
      throw new PaymentUriException(PaymentUriException.Reason.INVALID_NUMBER, what + " '" + clip(text)
          + "' is not a whole number of the smallest unit");
    }
  }

  private static String clip(String text) {
    String oneLine = text.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
