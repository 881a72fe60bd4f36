package io.chainseal.governance.internal;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainClient.ContractCall;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.internal.Transactions;
import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * One uint256 view ({@code balanceOf(account)}, {@code getPastVotes(account, block)}, …) of many
 * accounts, read with few round trips: {@value #PER_CALL} accounts per {@code eth_call} of the
 * never-deployed {@code BatchReader} (its init code runs in the call and returns every answer), and all
 * those calls in JSON-RPC batches ({@link ChainClient#callAll}). 100,000 accounts take 143 calls in
 * one request, against one block.
 */
public final class AccountReads {
  /**
   * Accounts per call. What init code returns counts as contract code, limited to 24,576 bytes
   * (EIP-170): 768 answers at most. 700 of about 4,000 gas each stay far under the gas nodes allow an
   * eth_call.
   */
  static final int PER_CALL = 700;
  private static final String READER = "io/chainseal/governance/contract/BatchReader.json";

  private AccountReads() {}

  /**
   * {@code function(account[, argument])} on {@code target} for each of {@code accounts}, against the
   * state at {@code block}, in order.
   *
   * @param function the Solidity signature, e.g. {@code "balanceOf(address)"} or {@code "getPastVotes(address,uint256)"}
   * @throws ChainException if the node refuses, or an account's call fails (not a contract, not that function)
   */
  public static List<BigInteger> read(ChainClient chain, EvmAddress target, String function, @Nullable BigInteger argument,
      List<EvmAddress> accounts, long block) {
    String initCode = Transactions.creationBytecode(AccountReads.class, READER);
    byte[] selector = java.util.Arrays.copyOf(Hash.sha3(function.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 4);
    List<ContractCall> calls = new ArrayList<>();
    for (int from = 0; from < accounts.size(); from += PER_CALL) {
      List<Address> chunk = accounts.subList(from, Math.min(accounts.size(), from + PER_CALL)).stream()
          .map(account -> new Address(account.lowercase())).toList();
      String arguments = FunctionEncoder.encodeConstructor(List.of(new Address(target.lowercase()), new Bytes4(selector),
          new Bool(argument != null), new Uint256(argument == null ? BigInteger.ZERO : argument), new DynamicArray<>(Address.class, chunk)));
      calls.add(new ContractCall(null, Numeric.hexStringToByteArray(initCode + arguments)));
    }
    List<byte[]> answers = chain.callAll(calls, block);
    if (answers.size() != calls.size()) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, function + " on " + target + ": " + answers.size()
          + " answers to " + calls.size() + " calls");
    }
    List<BigInteger> out = new ArrayList<>(accounts.size());
    for (int c = 0; c < answers.size(); c++) {
      byte[] answer = answers.get(c);
      int expected = Math.min(PER_CALL, accounts.size() - c * PER_CALL);
      if (answer.length != 32 * expected) {
        throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, function + " of " + expected + " accounts on " + target
            + " at block " + block + " answered " + answer.length + " bytes, not " + 32 * expected);
      }
      for (int i = 0; i < expected; i++) {
        out.add(new BigInteger(1, java.util.Arrays.copyOfRange(answer, 32 * i, 32 * i + 32)));
      }
    }
    return out;
  }
}
