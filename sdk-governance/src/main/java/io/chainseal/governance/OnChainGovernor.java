package io.chainseal.governance;

import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainException;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.EvmSigner;
import io.chainseal.chain.TypedData;
import io.chainseal.chain.internal.TransactionSigner;
import io.chainseal.chain.internal.Transactions;
import io.chainseal.core.EvmAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;
import org.jspecify.annotations.Nullable;

/**
 * Binding, on-chain decisions for groups that want them: OpenZeppelin's {@code Governor} (For /
 * Against / Abstain, quorum as a fraction of the supply, ERC20Votes weights by block number) executing
 * through a {@code TimelockController}, with the group's ERC20Votes token — the contracts in
 * {@code sdk-governance/src/main/solidity}, compiled from {@code @openzeppelin/contracts}.
 *
 * <p>The life of a proposal: {@link #propose} (Pending) → after the voting delay, Active → {@link
 * #castVote} or {@link #castVoteBySig} (a member signs {@link #ballot} in any wallet, anyone relays it)
 * → after the voting period, Succeeded (quorum reached, more For than Against) or Defeated → {@link
 * #queue} (Queued in the timelock) → after the timelock's delay, {@link #execute} (Executed). Each
 * call waits for its receipt and throws {@link ChainException} (REVERTED) if the governor refuses it;
 * none can take effect twice (the governor rejects a second proposal of the same actions, a second
 * vote of a voter, a second queue or execution). Thread-safe; it holds no state but addresses.
 */
public final class OnChainGovernor {
  /** The token's, timelock's and governor's artifacts. */
  static final String TOKEN = "io/chainseal/governance/contract/GroupVotesToken.json";
  static final String TIMELOCK = "io/chainseal/governance/contract/GroupTimelock.json";
  static final String GOVERNOR = "io/chainseal/governance/contract/GroupGovernor.json";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What a vote supports (OpenZeppelin's GovernorCountingSimple). */
  public enum Support {
    /** Against the proposal (0 on chain). */
    AGAINST(0),
    /** For the proposal (1 on chain). */
    FOR(1),
    /** Abstains: counts toward quorum only (2 on chain). */
    ABSTAIN(2);

    private final int code;

    Support(int code) {
      this.code = code;
    }

    /** The {@code uint8 support} value of OpenZeppelin's {@code GovernorCountingSimple}. */
    public int code() {
      return code;
    }
  }

  /** OpenZeppelin's {@code IGovernor.ProposalState}, in its order. */
  public enum State { PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED }

  /**
   * One call a proposal makes when executed (by the timelock).
   *
   * @param target the contract called
   * @param value the wei sent along
   * @param data the call data
   */
  public record Action(EvmAddress target, BigInteger value, byte[] data) {
    public Action {
      Objects.requireNonNull(target, "target == null");
      Objects.requireNonNull(value, "value == null");
      if (value.signum() < 0) {
        throw new IllegalArgumentException("value < 0");
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Action that && target.equals(that.target) && value.equals(that.value) && java.util.Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(target, value, java.util.Arrays.hashCode(data));
    }

    @Override
    public String toString() {
      return "Action[" + target + ", " + value + " wei, " + data.length + " bytes]";
    }
  }

  /**
   * How to deploy: the governor's name (its EIP-712 domain name), the token, the voting delay and
   * period in blocks, the quorum in percent of the supply, and the timelock's delay.
   *
   * @param name the governor's name
   * @param tokenName the token's name
   * @param tokenSymbol the token's symbol
   * @param supply the whole supply, minted to {@code holder}
   * @param holder who receives the supply
   * @param votingDelayBlocks blocks between a proposal and its vote
   * @param votingPeriodBlocks blocks the vote is open
   * @param quorumPercent the share of the supply (at the snapshot) that must vote For or Abstain
   * @param timelockDelay how long a queued proposal waits before it can be executed
   */
  public record Settings(String name, String tokenName, String tokenSymbol, BigInteger supply, EvmAddress holder, long votingDelayBlocks,
      long votingPeriodBlocks, int quorumPercent, Duration timelockDelay) {
    public Settings {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(tokenName, "tokenName == null");
      Objects.requireNonNull(tokenSymbol, "tokenSymbol == null");
      Objects.requireNonNull(supply, "supply == null");
      Objects.requireNonNull(holder, "holder == null");
      Objects.requireNonNull(timelockDelay, "timelockDelay == null");
      if (supply.signum() <= 0 || votingDelayBlocks < 0 || votingDelayBlocks > 0xFFFF_FFFF_FFFFL || votingPeriodBlocks <= 0
          || votingPeriodBlocks > 0xFFFF_FFFFL
          || quorumPercent < 0 || quorumPercent > 100 || timelockDelay.isNegative()) {
        throw new IllegalArgumentException("a positive supply, a voting delay of 0 to 2^48-1 blocks, a voting period of 1 to 2^32-1"
            + " blocks, a quorum of 0..100 %, a timelock delay of 0 or more");
      }
    }
  }

  private final ChainClient chain;
  private final EvmAddress governor;
  private final EvmAddress token;
  private final EvmAddress timelock;
  private final String name;

  private OnChainGovernor(ChainClient chain, EvmAddress governor, EvmAddress token, EvmAddress timelock, String name) {
    this.chain = Objects.requireNonNull(chain, "chain == null");
    this.governor = Objects.requireNonNull(governor, "governor == null");
    this.token = Objects.requireNonNull(token, "token == null");
    this.timelock = Objects.requireNonNull(timelock, "timelock == null");
    this.name = Objects.requireNonNull(name, "name == null");
  }

  /** The governor at {@code governor}, whose token and timelock it names itself. */
  public static OnChainGovernor at(ChainClient chain, EvmAddress governor) {
    EvmAddress token = address(chain, governor, "token");
    EvmAddress timelock = address(chain, governor, "timelock");
    byte[] answer = chain.call(governor, encode("name"));
    String name = org.web3j.abi.FunctionReturnDecoder.decode(Numeric.toHexString(answer),
        org.web3j.abi.Utils.convert(List.of(new org.web3j.abi.TypeReference<Utf8String>() {}))).stream().findFirst()
        .map(t -> (String) t.getValue()).orElseThrow(() -> new ChainException(ChainException.Kind.MALFORMED_ANSWER,
            governor + " has no name(): is it a governor?"));
    return new OnChainGovernor(chain, governor, token, timelock, name);
  }

  /**
   * Deploys the token, the timelock and the governor, makes the governor the timelock's only proposer
   * and canceller (anyone may execute what it queued), and gives up the deployer's admin role on the
   * timelock — so only proposals that passed can act through it.
   */
  public static OnChainGovernor deploy(ChainClient chain, EvmSigner deployer, Settings settings) {
    TransactionSigner signer = new TransactionSigner(deployer, chain.chainId());
    EvmAddress token = create(chain, signer, TOKEN, new Utf8String(settings.tokenName()), new Utf8String(settings.tokenSymbol()),
        new Address(settings.holder().lowercase()), new Uint256(settings.supply()));
    EvmAddress timelock = create(chain, signer, TIMELOCK, new Uint256(settings.timelockDelay().toSeconds()),
        new DynamicArray<>(Address.class, List.of()), new DynamicArray<>(Address.class, List.of(Address.DEFAULT)),
        new Address(deployer.address().lowercase()));
    EvmAddress governor = create(chain, signer, GOVERNOR, new Utf8String(settings.name()), new Address(token.lowercase()),
        new Address(timelock.lowercase()), new Uint48(settings.votingDelayBlocks()), new Uint32(settings.votingPeriodBlocks()),
        new Uint256(settings.quorumPercent()));
    for (String role : List.of("PROPOSER_ROLE", "CANCELLER_ROLE")) {
      send(chain, signer, timelock, encode("grantRole", new Bytes32(Hash.sha3(role.getBytes(StandardCharsets.UTF_8))),
          new Address(governor.lowercase())));
    }
    send(chain, signer, timelock, encode("renounceRole", new Bytes32(new byte[32]), new Address(deployer.address().lowercase())));
    return new OnChainGovernor(chain, governor, token, timelock, settings.name());
  }

  public EvmAddress address() {
    return governor;
  }

  /** The ERC20Votes token whose delegated votes weigh. */
  public EvmAddress token() {
    return token;
  }

  public EvmAddress timelock() {
    return timelock;
  }

  /** Delegates {@code holder}'s votes to {@code delegatee} (themselves, to vote): undelegated tokens do not vote. */
  public ChainReceipt delegate(EvmSigner holder, EvmAddress delegatee) {
    return send(chain, new TransactionSigner(holder, chain.chainId()), token, encode("delegate", new Address(delegatee.lowercase())));
  }

  /** The id the governor gives a proposal of {@code actions} described by {@code description}. */
  public BigInteger proposalId(List<Action> actions, String description) {
    return uint(chain.call(governor, encode("hashProposal", targets(actions), values(actions), calldatas(actions),
        new Bytes32(descriptionHash(description)))));
  }

  /** Proposes {@code actions}; returns the proposal's id. */
  public BigInteger propose(EvmSigner proposer, List<Action> actions, String description) {
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("a proposal makes at least one call");
    }
    send(chain, new TransactionSigner(proposer, chain.chainId()), governor, encode("propose", targets(actions), values(actions),
        calldatas(actions), new Utf8String(description)));
    return proposalId(actions, description);
  }

  public State state(BigInteger proposalId) {
    BigInteger state = uint(chain.call(governor, encode("state", new Uint256(proposalId))));
    if (state.signum() < 0 || state.compareTo(BigInteger.valueOf(State.values().length)) >= 0) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "state(" + proposalId + ") answered " + state);
    }
    return State.values()[state.intValueExact()];
  }

  /** The block whose delegated votes weigh in {@code proposalId}'s vote. */
  public long snapshotBlock(BigInteger proposalId) {
    return uint(chain.call(governor, encode("proposalSnapshot", new Uint256(proposalId)))).longValueExact();
  }

  /** The block after which voting on {@code proposalId} is closed. */
  public long deadlineBlock(BigInteger proposalId) {
    return uint(chain.call(governor, encode("proposalDeadline", new Uint256(proposalId)))).longValueExact();
  }

  /** The votes so far, as the governor reports them: Against, For, Abstain (indexed by {@link Support#ordinal()}). */
  public List<BigInteger> votes(BigInteger proposalId) {
    byte[] answer = chain.call(governor, encode("proposalVotes", new Uint256(proposalId)));
    if (answer.length != 96) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "proposalVotes answered " + answer.length + " bytes");
    }
    List<BigInteger> out = new ArrayList<>(3);
    for (int i = 0; i < 3; i++) {
      out.add(new BigInteger(1, java.util.Arrays.copyOfRange(answer, 32 * i, 32 * i + 32)));
    }
    return out;
  }

  /** Casts {@code voter}'s vote, sent by the voter. */
  public ChainReceipt castVote(EvmSigner voter, BigInteger proposalId, Support support) {
    return send(chain, new TransactionSigner(voter, chain.chainId()), governor, encode("castVote", new Uint256(proposalId),
        new Uint8(support.code())));
  }

  /**
   * The EIP-712 ballot a member signs to vote without sending a transaction — {@code Ballot(uint256
   * proposalId, uint8 support, address voter, uint256 nonce)} in the governor's domain (its name, "1",
   * the chain id, its address) — as {@code eth_signTypedData_v4} takes it.
   */
  public TypedData ballot(BigInteger proposalId, Support support, EvmAddress voter) {
    BigInteger nonce = uint(chain.call(governor, encode("nonces", new Address(voter.lowercase()))));
    TypedData data = new TypedData("Ballot", name, "1", chain.chainId(), governor).type("Ballot", "proposalId", "uint256", "support",
        "uint8", "voter", "address", "nonce", "uint256");
    data.message().put("proposalId", proposalId.toString());
    data.message().put("support", support.code());
    data.message().put("voter", voter.lowercase());
    data.message().put("nonce", nonce.toString());
    return data;
  }

  /** Relays a ballot {@code voter} signed ({@link #ballot}); {@code relayer} pays the gas. */
  public ChainReceipt castVoteBySig(EvmSigner relayer, BigInteger proposalId, Support support, EvmAddress voter, EcdsaSignature signature) {
    return send(chain, new TransactionSigner(relayer, chain.chainId()), governor, encode("castVoteBySig", new Uint256(proposalId),
        new Uint8(support.code()), new Address(voter.lowercase()), new DynamicBytes(signature.bytes())));
  }

  /** Queues a succeeded proposal in the timelock. */
  public ChainReceipt queue(EvmSigner sender, List<Action> actions, String description) {
    return send(chain, new TransactionSigner(sender, chain.chainId()), governor, encode("queue", targets(actions), values(actions),
        calldatas(actions), new Bytes32(descriptionHash(description))));
  }

  /**
   * Executes a queued proposal once the timelock's delay has passed (anyone may). Ether its actions
   * send comes from the timelock's balance (the group's treasury): fund the timelock beforehand.
   */
  public ChainReceipt execute(EvmSigner sender, List<Action> actions, String description) {
    return send(chain, new TransactionSigner(sender, chain.chainId()), governor, encode("execute", targets(actions), values(actions),
        calldatas(actions), new Bytes32(descriptionHash(description))));
  }

  @Override
  public String toString() {
    return "OnChainGovernor[" + name + " at " + governor + ", token " + token + ", timelock " + timelock + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private static byte[] descriptionHash(String description) {
    return Hash.sha3(description.getBytes(StandardCharsets.UTF_8));
  }

  private static DynamicArray<Address> targets(List<Action> actions) {
    return new DynamicArray<>(Address.class, actions.stream().map(a -> new Address(a.target().lowercase())).toList());
  }

  private static DynamicArray<Uint256> values(List<Action> actions) {
    return new DynamicArray<>(Uint256.class, actions.stream().map(a -> new Uint256(a.value())).toList());
  }

  private static DynamicArray<DynamicBytes> calldatas(List<Action> actions) {
    return new DynamicArray<>(DynamicBytes.class, actions.stream().map(a -> new DynamicBytes(a.data())).toList());
  }

  @SuppressWarnings("rawtypes")
  private static byte[] encode(String function, Type... inputs) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(function, List.of(inputs), List.of())));
  }

  private static BigInteger uint(byte[] answer) {
    if (answer.length != 32) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, "expected one uint256, got " + answer.length + " bytes");
    }
    return new BigInteger(1, answer);
  }

  private static EvmAddress address(ChainClient chain, EvmAddress contract, String getter) {
    byte[] answer = chain.call(contract, encode(getter));
    if (answer.length != 32) {
      throw new ChainException(ChainException.Kind.MALFORMED_ANSWER, contract + "." + getter + "() answered " + answer.length
          + " bytes: is it a governor?");
    }
    return EvmAddress.of(java.util.Arrays.copyOfRange(answer, 12, 32));
  }

  @SuppressWarnings("rawtypes")
  private static EvmAddress create(ChainClient chain, TransactionSigner signer, String artifact, Type... constructorArgs) {
    String code = Transactions.creationBytecode(OnChainGovernor.class, artifact) + FunctionEncoder.encodeConstructor(List.of(constructorArgs));
    ChainReceipt receipt = Transactions.sendAndWait(chain, signer, null, Numeric.hexStringToByteArray(code), TIMEOUT);
    return receipt.createdContract().orElseThrow(() -> new ChainException(ChainException.Kind.REJECTED,
        "deployment " + receipt.transactionHash() + " created no contract"));
  }

  private static ChainReceipt send(ChainClient chain, TransactionSigner signer, EvmAddress to, byte[] data) {
    return Transactions.sendAndWait(chain, signer, to, data, TIMEOUT);
  }
}
