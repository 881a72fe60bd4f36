package io.chainseal.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.core.EvmAddress;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** {@link ChainClient#callAll} on a real node: JSON-RPC batches, in order, all or nothing, deployless calls. */
@WithLocalChain
@Tag("slow")
class BatchedCallsTest {
  private static byte[] encode(String function, org.web3j.abi.datatypes.Type<?>... inputs) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(function, List.of(inputs), List.of())));
  }

  @Test
  void answersEveryCallInOrderAcrossSeveralBatchRequests(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmAddress token = local.deployToken(local.account(1), "T", "T", 0, BigInteger.valueOf(777));
      EvmAddress holder = EvmAddress.fromHex(local.account(1).address());
      long block = chain.blockNumber();
      List<ChainClient.ContractCall> calls = new ArrayList<>();
      for (int i = 0; i < 1_100; i++) {
        byte[] who = new byte[20];
        who[19] = (byte) i;
        who[18] = (byte) (i >> 8);
        calls.add(new ChainClient.ContractCall(token, encode("balanceOf", new Address((i == 777 ? holder : EvmAddress.of(who)).lowercase()))));
      }
      // Three calls of 600 kB each (ABI decoding ignores trailing bytes): more than MAX_BATCH_BYTES, so split by size too.
      for (int i = 0; i < 3; i++) {
        byte[] big = Arrays.copyOf(encode("totalSupply"), 600_000);
        calls.add(new ChainClient.ContractCall(token, big));
      }
      List<byte[]> answers = chain.callAll(calls, block);
      assertEquals(calls.size(), answers.size());
      assertEquals(BigInteger.valueOf(777), new BigInteger(1, answers.get(777)), "each answer is its own call's");
      assertEquals(BigInteger.ZERO, new BigInteger(1, answers.get(776)));
      for (int i : new int[] {0, 499, 500, 1_099, 1_100, 1_102}) {
        assertArrayEquals(chain.call(token, calls.get(i).data(), block), answers.get(i), "call " + i);
      }
      assertEquals(BigInteger.valueOf(777), new BigInteger(1, answers.get(1_102)));
    }
  }

  @Test
  void oneFailingCallFailsTheWholeAndDeploylessCallsReturnWhatTheirCodeReturns(LocalChain local) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      EvmAddress token = local.deployToken(local.account(1), "T", "T", 0, BigInteger.TEN);
      long block = chain.blockNumber();
      List<ChainClient.ContractCall> calls = List.of(
          new ChainClient.ContractCall(token, encode("totalSupply")),
          // transfer from the zero address, which holds nothing: reverts
          new ChainClient.ContractCall(token, encode("transfer", new Address(token.lowercase()), new Uint256(BigInteger.ONE))),
          new ChainClient.ContractCall(token, encode("totalSupply")));
      ChainException failed = assertThrows(ChainException.class, () -> chain.callAll(calls, block));
      assertTrue(failed.getMessage().contains("batch"), failed.getMessage());
      assertTrue(!failed.retryable(), "a revert is an answer, not a fault to retry: " + failed.kind());

      // Init code PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: runs without a contract, returns the word 42.
      byte[] initCode = HexFormat.of().parseHex("602a60005260206000f3");
      List<byte[]> answers = chain.callAll(List.of(new ChainClient.ContractCall(null, initCode),
          new ChainClient.ContractCall(token, encode("totalSupply"))), block);
      assertEquals(BigInteger.valueOf(42), new BigInteger(1, answers.get(0)));
      assertEquals(BigInteger.TEN, new BigInteger(1, answers.get(1)));
    }
  }

  @Test
  void answersAreMatchedToCallsByIdWhenTheNodeReordersThem(LocalChain local) throws Exception {
    // A proxy in front of Anvil that answers every batch in reverse order (JSON-RPC 2.0 allows any order).
    com.sun.net.httpserver.HttpServer proxy = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    proxy.createContext("/", exchange -> {
      try {
        byte[] body = exchange.getRequestBody().readAllBytes();
        java.net.http.HttpResponse<byte[]> answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(local.rpcUrl()))
            .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        com.fasterxml.jackson.databind.JsonNode tree = json.readTree(answer.body());
        byte[] out = answer.body();
        if (tree.isArray()) {
          com.fasterxml.jackson.databind.node.ArrayNode reversed = json.createArrayNode();
          for (int i = tree.size() - 1; i >= 0; i--) {
            reversed.add(tree.get(i));
          }
          out = json.writeValueAsBytes(reversed);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(500, -1);
      } finally {
        exchange.close();
      }
    });
    proxy.start();
    try (ChainClient direct = ChainClient.http(local.rpcUrl());
        ChainClient reordered = ChainClient.http("http://127.0.0.1:" + proxy.getAddress().getPort())) {
      EvmAddress token = local.deployToken(local.account(1), "Alpha", "BETA", 7, BigInteger.valueOf(5));
      long block = direct.blockNumber();
      // Five calls with five different answers: any pairing by position of reversed answers is caught.
      List<ChainClient.ContractCall> calls = List.of(
          new ChainClient.ContractCall(token, encode("balanceOf", new Address(local.account(1).address()))),
          new ChainClient.ContractCall(token, encode("name")),
          new ChainClient.ContractCall(token, encode("decimals")),
          new ChainClient.ContractCall(token, encode("symbol")),
          new ChainClient.ContractCall(token, encode("balanceOf", new Address(local.account(2).address()))));
      List<byte[]> answers = reordered.callAll(calls, block);
      for (int i = 0; i < calls.size(); i++) {
        assertArrayEquals(direct.call(token, calls.get(i).data(), block), answers.get(i), "call " + i);
      }
      assertEquals(BigInteger.valueOf(5), new BigInteger(1, answers.get(0)));
    } finally {
      proxy.stop(0);
    }
  }
}
