package io.chainseal.wallet;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** The ERC-20 calls payments make, encoded and decoded by Web3j's ABI coder. */
final class Erc20 {
  /** {@code keccak256("Transfer(address,address,uint256)")}. */
  static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

  private Erc20() {}

  static byte[] transfer(EvmAddress to, BigInteger amount) {
    return bytes(FunctionEncoder.encode(new Function("transfer", List.of(new Address(to.lowercase()), new Uint256(amount)), List.of())));
  }

  static BigInteger balanceOf(ChainClient chain, EvmAddress token, EvmAddress owner) throws PaymentException {
    byte[] answer = chain.call(token, bytes(FunctionEncoder.encode(new Function("balanceOf", List.of(new Address(owner.lowercase())),
        List.of()))));
    if (answer.length != 32) {
      throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "no ERC-20 token answers balanceOf() at " + token);
    }
    return new BigInteger(1, answer);
  }

  static BigInteger allowance(ChainClient chain, EvmAddress token, EvmAddress owner, EvmAddress spender) throws PaymentException {
    byte[] answer = chain.call(token, bytes(FunctionEncoder.encode(new Function("allowance",
        List.of(new Address(owner.lowercase()), new Address(spender.lowercase())), List.of()))));
    if (answer.length != 32) {
      throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "no ERC-20 token answers allowance() at " + token);
    }
    return new BigInteger(1, answer);
  }

  static Token token(ChainClient chain, EvmAddress contract) throws PaymentException {
    try {
      byte[] decimalsAnswer = chain.call(contract, bytes(FunctionEncoder.encode(new Function("decimals", List.of(), List.of()))));
      if (decimalsAnswer.length != 32) {
        throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "no ERC-20 token at " + contract
            + " (no contract, or it does not answer decimals())");
      }
      BigInteger decimals = new BigInteger(1, decimalsAnswer);
      if (decimals.compareTo(BigInteger.valueOf(77)) > 0) {
        throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "the token at " + contract + " claims " + decimals
            + " decimals; at most 77 fit a uint256");
      }
      return Token.erc20(contract, symbol(chain, contract), decimals.intValueExact());
    } catch (ChainException e) {
      if (e.kind() == ChainException.Kind.REVERTED) {
        throw new PaymentException(PaymentException.Reason.UNKNOWN_TOKEN, "no ERC-20 token at " + contract + ": decimals() reverts");
      }
      throw new PaymentException(PaymentException.Reason.CHAIN_UNAVAILABLE, "could not read the token at " + contract + ": "
          + e.getMessage(), e);
    }
  }

  /** The token's symbol for display: a string, an old-style bytes32, or "?" if it has none. */
  private static String symbol(ChainClient chain, EvmAddress contract) {
    byte[] answer;
    try {
      answer = chain.call(contract, bytes(FunctionEncoder.encode(new Function("symbol", List.of(), List.of()))));
    } catch (ChainException e) {
      return "?";
    }
    if (answer.length == 32) {
      int end = 0;
      while (end < 32 && answer[end] != 0) {
        end++;
      }
      return printable(new String(answer, 0, end, StandardCharsets.UTF_8));
    }
    try {
      @SuppressWarnings({"rawtypes", "unchecked"})
      List<Type> decoded = FunctionReturnDecoder.decode(Numeric.toHexString(answer),
          (List) List.of(new TypeReference<Utf8String>() {}));
      return decoded.isEmpty() ? "?" : printable(decoded.get(0).getValue().toString());
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private static String printable(String symbol) {
    String clean = symbol.replaceAll("[^\\p{L}\\p{N}._-]", "");
    return clean.isEmpty() ? "?" : clean.length() > 16 ? clean.substring(0, 16) : clean;
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(Numeric.cleanHexPrefix(hex));
  }

}
