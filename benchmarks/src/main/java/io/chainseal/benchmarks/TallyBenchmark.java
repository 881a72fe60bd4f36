package io.chainseal.benchmarks;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.EvmSigner;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.SigningKey;
import io.chainseal.core.internal.Secp256k1;
import io.chainseal.governance.Proposal;
import io.chainseal.governance.SignedVote;
import io.chainseal.governance.TallyTranscript;
import io.chainseal.governance.Vote;
import io.chainseal.governance.VoteCount;
import io.chainseal.governance.VotingType;
import io.chainseal.governance.WeightStrategy;
import io.chainseal.testkit.LocalChain;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The tally benchmark, on one real Anvil node: count N signed votes (default 100,000) of N different
 * voters, each vote's EIP-712 digest computed and signature recovered, weights read from an ERC-20
 * token at the snapshot block by batched {@code eth_call}s, the ballots counted, and the transcript's
 * Merkle root computed. Reported: the count's wall time (split into signatures, weights and the rest,
 * each measured separately in the same run) on all cores and on one, and their ratio. A documented
 * harness, not JMH: the chain is part of what is measured. Setting up (signing the votes, giving the
 * voters tokens by writing the token's storage) is not timed.
 *
 * <p>Run: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" io.chainseal.benchmarks.TallyBenchmark [votes] [rounds]}
 */
public final class TallyBenchmark {
  private TallyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int voters = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (LocalChain local = LocalChain.start(); ChainClient chain = ChainClient.http(local.rpcUrl())) {
      System.out.printf("Tally benchmark: Anvil at %s, %,d voters, %d rounds, %d cores (common pool parallelism %d), "
          + "public keys recovered in %s%n", local.rpcUrl(), voters, rounds, Runtime.getRuntime().availableProcessors(),
          ForkJoinPool.commonPool().getParallelism(), Secp256k1.recoveryImplementation());
      EvmAddress token = local.deployToken(local.account(1), "Vote", "VOTE", 18, BigInteger.ONE);
      long setupStart = System.nanoTime();
      List<EvmSigner> signers = IntStream.range(0, voters).parallel().mapToObj(TallyBenchmark::voter).toList();
      giveTokens(local, token, signers);
      local.mine();
      long snapshot = chain.blockNumber();
      WeightStrategy weights = WeightStrategy.erc20Balance(chain, token);
      Instant start = Instant.ofEpochSecond(1_800_000_000L);
      Proposal proposal = new Proposal(chain.chainId(), "bench", "Benchmark", Hash32.of(new byte[32]), List.of("A", "B", "C", "D"),
          VotingType.SINGLE_CHOICE, start, start.plusSeconds(86_400), snapshot, weights.id(), BigInteger.ONE, signers.get(0).address());
      Hash32 id = proposal.id();
      List<SignedVote> votes = IntStream.range(0, voters).parallel().mapToObj(i -> new Vote(chain.chainId(), id, "bench",
          List.of(i % 4), List.of(), start.plusSeconds(i % 86_400), signers.get(i).address()).sign(signers.get(i))).toList();
      System.out.printf("set up (keys, %,d token balances written, %,d votes signed) in %.1f s, not timed%n", voters, voters,
          (System.nanoTime() - setupStart) / 1e9);

      double[] all = new double[rounds];
      double[] sigs = new double[rounds];
      double[] weighing = new double[rounds];
      double[] one = new double[rounds];
      List<EvmAddress> addresses = signers.stream().map(EvmSigner::address).toList();
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        VoteCount.Result result = VoteCount.count(proposal, votes, weights);
        TallyTranscript transcript = TallyTranscript.of(proposal.sign(signers.get(0)), result);
        Hash32 root = transcript.root();
        all[r] = (System.nanoTime() - t0) / 1e9;
        if (result.counted().size() != voters) {
          throw new IllegalStateException("counted " + result.counted().size() + " of " + voters + ": " + result.rejected().stream()
              .limit(3).toList());
        }
        long t1 = System.nanoTime();
        votes.parallelStream().forEach(v -> v.check(proposal.chainId(), id, "bench"));
        sigs[r] = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        weights.weights(addresses, snapshot);
        weighing[r] = (System.nanoTime() - t2) / 1e9;
        long t3 = System.nanoTime();
        ForkJoinPool single = new ForkJoinPool(1);
        try {
          single.submit(() -> votes.stream().forEach(v -> v.check(proposal.chainId(), id, "bench"))).get();
        } finally {
          single.shutdown();
        }
        one[r] = (System.nanoTime() - t3) / 1e9;
        System.out.printf("round %d: count of %,d votes %.2f s (%,.0f votes/s, winners %s, root %s…); of which apart: signatures on all"
            + " cores %.2f s, weights from the chain %.2f s; signatures on one thread %.2f s (x%.2f)%n", r + 1, voters, all[r],
            voters / all[r], result.tally().winners(), root.hex().substring(0, 12), sigs[r], weighing[r], one[r], one[r] / sigs[r]);
      }
      System.out.printf("%nSummary: %,d signed votes counted in %.2f s (median of %d; min %.2f, max %.2f) = %,.0f votes/s;"
          + " signature checks %.2f s on all cores vs %.2f s on one thread (x%.2f); weights %.2f s%n", voters, median(all), rounds,
          Arrays.stream(all).min().orElse(0), Arrays.stream(all).max().orElse(0), voters / median(all), median(sigs), median(one),
          median(one) / median(sigs), median(weighing));
      Figures.report("tally: " + String.format(java.util.Locale.ROOT, "%,d", voters) + " signed votes counted", median(all), "s",
          String.format(java.util.Locale.ROOT, "median of %d, min %.2f, max %.2f; target < 5 s", rounds,
              Arrays.stream(all).min().orElse(0), Arrays.stream(all).max().orElse(0)));
      Figures.report("tally: signature checks, all cores / one thread", median(one) / median(sigs), "x", "speed-up, same run");
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static EvmSigner voter(int n) {
    byte[] secret = new byte[32];
    secret[0] = 0x22;
    secret[29] = (byte) (n >> 16);
    secret[30] = (byte) (n >> 8);
    secret[31] = (byte) n;
    return EvmSigner.of(SigningKey.secp256k1(secret));
  }

  /**
   * Gives each voter 1 to 1,000 tokens by writing the token's balance mapping (OpenZeppelin's ERC20
   * keeps {@code _balances} in slot 0) with {@code anvil_setStorageAt}, 1,000 per JSON-RPC batch.
   */
  private static void giveTokens(LocalChain local, EvmAddress token, List<EvmSigner> signers) throws Exception {
    HttpService http = new HttpService(local.rpcUrl());
    Web3j web3j = Web3j.build(http);
    try {
      for (int from = 0; from < signers.size(); from += 1_000) {
        BatchRequest batch = web3j.newBatch();
        for (int i = from; i < Math.min(signers.size(), from + 1_000); i++) {
          byte[] key = new byte[64];
          System.arraycopy(signers.get(i).address().bytes(), 0, key, 12, 20);
          String slot = Numeric.toHexString(Hash.sha3(key));
          String value = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(1 + i % 1_000), 64);
          batch.add(new Request<>("anvil_setStorageAt", List.of(token.lowercase(), slot, value), http, VoidResponse.class));
        }
        batch.send();
      }
    } finally {
      web3j.shutdown();
    }
  }
}
