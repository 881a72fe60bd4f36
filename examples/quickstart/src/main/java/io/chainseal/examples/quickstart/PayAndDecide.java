package io.chainseal.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.AnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SigningKey;
import io.chainseal.governance.Proposal;
import io.chainseal.governance.SignedProposal;
import io.chainseal.governance.SignedVote;
import io.chainseal.governance.TallyTranscript;
import io.chainseal.governance.TallyVerification;
import io.chainseal.governance.TallyVerifier;
import io.chainseal.governance.Vote;
import io.chainseal.governance.VoteCount;
import io.chainseal.governance.VotingType;
import io.chainseal.governance.WeightStrategy;
import io.chainseal.testkit.LocalChain;
import io.chainseal.wallet.ChannelContract;
import io.chainseal.wallet.ChannelPayer;
import io.chainseal.wallet.ChannelState;
import io.chainseal.wallet.HdWallet;
import io.chainseal.wallet.Mnemonic;
import io.chainseal.wallet.PaidService;
import io.chainseal.wallet.PaymentOrder;
import io.chainseal.wallet.PaymentReceipt;
import io.chainseal.wallet.PaymentRequest;
import io.chainseal.wallet.PaymentVerdict;
import io.chainseal.wallet.PaymentVerifier;
import io.chainseal.wallet.Payments;
import io.chainseal.wallet.SignedPaymentRequest;
import io.chainseal.wallet.SqliteWalletJournal;
import io.chainseal.wallet.Token;
import io.chainseal.wallet.Voucher;
import io.chainseal.wallet.WalletJournal;
import io.chainseal.wallet.WalletKey;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The quickstart's second part: the group pays and decides. Alice asks Bob, by a signed EIP-712
 * payment request, for his share of the fuel; Bob checks who asked, pays on chain, and sends the
 * receipt, which Alice checks on chain. Then the group votes, weighted by a token they hold, on where
 * to have lunch: each member signs an EIP-712 vote, the count's transcript is anchored with the chat,
 * and anyone recomputes it ({@link TallyVerifier}). With {@code --out}, every signature is written as
 * the JSON {@code eth_signTypedData_v4} takes, plus {@code signature} and {@code signer}. In between,
 * Carol pays a trail bot per answer through a payment channel: a voucher per question, one transaction
 * to open and one to close.
 */
final class PayAndDecide {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GROUP = "weekend-hike";

  private PayAndDecide() {}

  /** What the part showed, for the summary. */
  record Outcome(boolean requestVerified, PaymentVerdict payment, boolean micropaid, String winner, TallyVerification tally,
      int signaturesWritten) {
    boolean expected() {
      return requestVerified && payment.status() == PaymentVerdict.Status.VERIFIED && micropaid
          && tally.status() == TallyVerification.Status.VERIFIED;
    }
  }

  static Outcome run(LocalChain chain, ChainClient client, AnchorContract contract, SigningKey operator, AnchorJournal anchorJournal,
      TrustSettings trust, Path workDir, @Nullable Path out, PrintStream print) throws Exception {
    List<Path> written = new ArrayList<>();
    try (HdWallet wallet = HdWallet.of(Mnemonic.parse(LocalChain.DEFAULT_MNEMONIC));
        WalletKey alice = wallet.account(3);
        WalletKey bob = wallet.account(4);
        WalletKey carol = wallet.account(5);
        WalletKey treasurer = wallet.account(6);
        WalletJournal journal = SqliteWalletJournal.open(workDir.resolve("wallets.db"))) {
      long chainId = client.chainId();

      // 1. A signed payment request, a payment on chain, and its receipt checked on chain.
      print.println();
      print.println("Alice asks Bob for 0.02 ETH for the fuel, as a signed EIP-712 payment request ...");
      PaymentRequest request = new PaymentRequest("fuel-1", alice.address(), null, new BigDecimal("0.02").movePointRight(18)
          .toBigIntegerExact(), chainId, Instant.now().plus(1, ChronoUnit.HOURS), "fuel for the hike");
      SignedPaymentRequest signedRequest = request.sign(alice);
      written.add(typedData(out, "payment-request.eip712.json", request.typedDataJson(), signedRequest.signature(), alice.address()));
      boolean requestVerified;
      try {
        SignedPaymentRequest.fromJson(signedRequest.toJson()).verify(alice.address(), chainId, Instant.now());
        requestVerified = true;
        print.printf("  Bob checks the request: signed by Alice (%s), chain %d, not expired%n", alice.address(), chainId);
      } catch (io.chainseal.wallet.PaymentException e) {
        requestVerified = false;
        print.printf("  the request did NOT verify: %s%n", e.getMessage());
      }
      PaymentReceipt receipt;
      try (Payments payments = Payments.builder().chain(client).signer(bob).journal(journal).confirmations(1).build()) {
        payments.send(PaymentOrder.of("fuel-1", alice.address(), Token.ETH, new BigDecimal("0.02"))).whenFinal()
            .get(2, TimeUnit.MINUTES);
        receipt = payments.receipt("fuel-1").orElseThrow();
      }
      print.printf("  Bob paid: transaction %s; he sends Alice the receipt in the chat%n", receipt.transaction().hex0x());
      PaymentVerdict paid = PaymentVerifier.builder(client).chainId(chainId).recipient(alice.address()).confirmations(1).build()
          .verify(receipt, Token.ETH, request.amount());
      print.printf("  Alice checks the receipt on chain: %s (%s)%n", paid.status(), paid.message());
      if (out != null) {
        Files.writeString(out.resolve("payment-receipt.json"), receipt.toJson());
      }

      // 2. Micropayments: Carol opens a payment channel to the trail bot and pays per question by voucher.
      print.println();
      print.println("Carol asks the trail bot for forecasts, paying 0.0001 ETH per answer through a payment channel ...");
      ChannelContract channels = ChannelContract.deploy(client, treasurer);
      BigInteger price = new BigDecimal("0.0001").movePointRight(18).toBigIntegerExact();
      int questions = 20;
      @Nullable Voucher last = null;
      String firstAnswer = "";
      BigInteger charged = BigInteger.ZERO;
      try (WalletKey botKey = wallet.account(7);
          SqliteWalletJournal botJournal = SqliteWalletJournal.open(workDir.resolve("bot.db"));
          Payments carolPays = Payments.builder().chain(client).signer(carol).journal(journal).confirmations(1).build();
          Payments botPays = Payments.builder().chain(client).signer(botKey).journal(botJournal).confirmations(1).build()) {
        Instant chainNow = client.block(client.blockNumber()).orElseThrow().timestamp();
        ChannelState channel = carolPays.channels(channels).open("bot-session", botKey.address(), Token.ETH, new BigDecimal("0.01"),
            chainNow.plus(2, ChronoUnit.HOURS)).get(2, TimeUnit.MINUTES);
        print.printf("  channel %s… opened with a 0.01 ETH deposit (one transaction)%n", channel.channelId().hex().substring(0, 16));
        PaidService bot = new PaidService("trail-bot", channels, client, botKey.address(), Token.ETH, Map.of("forecast", price),
            botJournal);
        ChannelPayer payer = new ChannelPayer(channels, channel, carol);
        for (int i = 1; i <= questions; i++) {
          last = payer.pay(price); // off chain: a signed voucher for the running total, sent with the question
          int hour = 7 + i % 12;
          PaidService.Served served = bot.serve("q-" + i, "forecast", Voucher.decode(last.encode()),
              id -> "at " + hour + ":00 on the ridge: sunny, " + (12 + hour % 7) + " degrees");
          charged = charged.add(served.charged());
          if (i == 1) {
            firstAnswer = served.answer();
          }
        }
        print.printf("  %d answers, each paid by a voucher before it was served; the first: \"%s\"%n", questions, firstAnswer);
        Voucher highest = java.util.Objects.requireNonNull(last, "at least one question was paid");
        botPays.channels(channels).close(highest).get(2, TimeUnit.MINUTES);
        print.printf("  the bot closed the channel with the last voucher: %s ETH for %d answers (one transaction)%n",
            new BigDecimal(charged).movePointLeft(18).stripTrailingZeros().toPlainString(), questions);
        written.add(typedData(out, "voucher-last.eip712.json", Voucher.typedDataJson(chainId, channels.address(), channel.channelId(),
            highest.cumulativeAmount()), highest.signature(), carol.address()));
      }
      boolean micropaid = charged.equals(price.multiply(BigInteger.valueOf(questions)));

      // 3. A token the members hold: the vote's weights, read at a snapshot block.
      print.println();
      print.println("The group votes where to have lunch, weighted by the HIKE tokens each member holds ...");
      BigInteger unit = BigInteger.TEN.pow(18);
      String tokenAddress = chain.deployToken(chain.account(6), "Hike", "HIKE", 18, unit.multiply(BigInteger.valueOf(100))).checksummed();
      Token hike = Token.erc20(EvmAddress.fromHex(tokenAddress), "HIKE", 18);
      try (Payments payments = Payments.builder().chain(client).signer(treasurer).journal(journal).confirmations(1).build()) {
        String[] names = {"alice", "bob", "carol"};
        WalletKey[] members = {alice, bob, carol};
        int[] shares = {50, 30, 20};
        for (int i = 0; i < 3; i++) {
          payments.send(PaymentOrder.of("hike-" + names[i], members[i].address(), hike, new BigDecimal(shares[i]))).whenFinal()
              .get(2, TimeUnit.MINUTES);
          print.printf("  %s holds %d HIKE%n", names[i], shares[i]);
        }
      }
      long snapshot = client.blockNumber();
      WeightStrategy weights = WeightStrategy.erc20Balance(client, hike.contractAddress().orElseThrow());
      Instant opened = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
      Instant closed = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
      Proposal proposal = new Proposal(chainId, GROUP, "Lunch stop", Hash32.fromHex("1a".repeat(32)), List.of("the hut", "the lake"),
          VotingType.SINGLE_CHOICE, opened, closed, snapshot, weights.id(), unit.multiply(BigInteger.valueOf(60)), alice.address());
      SignedProposal signedProposal = proposal.sign(alice);
      written.add(typedData(out, "proposal.eip712.json", proposal.typedDataJson(), signedProposal.signature(), alice.address()));
      List<SignedVote> votes = new ArrayList<>();
      int[] choices = {0, 1, 0};
      String[] names = {"alice", "bob", "carol"};
      WalletKey[] voters = {alice, bob, carol};
      for (int i = 0; i < 3; i++) {
        Vote vote = new Vote(chainId, proposal.id(), GROUP, List.of(choices[i]), List.of(), opened.plusSeconds(10L * (i + 1)),
            voters[i].address());
        SignedVote signed = vote.sign(voters[i]);
        votes.add(SignedVote.fromJson(signed.toJson())); // as it would arrive in the chat
        written.add(typedData(out, "vote-" + names[i] + ".eip712.json", vote.typedDataJson(), signed.signature(), voters[i].address()));
        print.printf("  %s votes for %s%n", names[i], proposal.choices().get(choices[i]));
      }
      VoteCount.Result count = VoteCount.count(proposal, votes, weights);
      List<Integer> winners = count.tally().winners();
      print.printf("  count: %s; quorum %s; winner: %s%n", count.tally().totals(), count.tally().quorumReached() ? "reached" : "NOT reached",
          winners.isEmpty() ? "none" : proposal.choices().get(winners.get(0)));

      // 4. The count's transcript anchored with the chat, and recounted by anyone from the chain.
      TallyTranscript transcript = TallyTranscript.of(signedProposal, count);
      MessageProof proof;
      try (Anchorer anchorer = Anchorer.builder().chain(client).contract(contract).publisherKey(operator).journal(anchorJournal)
              .batchPolicy(new BatchPolicy(8, Duration.ofMillis(400))).build()) {
        PendingProof pending = transcript.anchor(anchorer);
        proof = pending.await(Duration.ofMinutes(2));
      }
      TallyVerification tally = TallyVerifier.of(ProvenanceVerifier.builder(client).trust(trust).build())
          .verify(transcript, weights, proof);
      print.printf("  the transcript (proposal, every vote, every weight) was anchored; recounted from the chain: %s%n",
          tally.status());
      if (out != null) {
        print.printf("Wrote %d EIP-712 signatures (eth_signTypedData_v4 JSON + signature + signer) and the payment receipt to %s%n",
            written.size(), out.toAbsolutePath());
      }
      return new Outcome(requestVerified, paid, micropaid, winners.size() == 1 ? proposal.choices().get(winners.get(0)) : "none", tally,
          written.size());
    }
  }

  /** Writes {@code typedData} with the signature and signer added, if {@code out} is set; returns the file (or a placeholder). */
  private static Path typedData(@Nullable Path out, String name, String typedData, EcdsaSignature signature, EvmAddress signer)
      throws IOException {
    if (out == null) {
      return Path.of(name);
    }
    ObjectNode document = (ObjectNode) JSON.readTree(typedData);
    document.put("signature", signature.hex0x());
    document.put("signer", signer.checksummed());
    Path file = out.resolve(name);
    Files.createDirectories(out);
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    return file;
  }
}
