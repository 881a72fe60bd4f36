package io.chainseal.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A compiled contract as committed by {@code scripts/compile-contracts.mjs}: name, ABI and bytecode.
 * Immutable.
 *
 * <pre>{@code
 * ContractArtifact anchor = ContractArtifact.fromClasspath("io/chainseal/anchor/contract/ChainsealAnchor.json");
 * DeployedContract deployed = chain.deploy(anchor, chain.account(0));
 * }</pre>
 */
public final class ContractArtifact {
  /**
   * Class-path location of {@code ImpostorAnchor}: an attacker's look-alike of Chainseal's anchor
   * contract whose {@code forge(publisher, root, treeSize, sequence, previousRoot)} emits an
   * {@code Anchored} event naming any publisher. Deploy it in your tests to check that your verifier's
   * trust settings reject forged anchors.
   */
  public static final String IMPOSTOR_ANCHOR = "io/chainseal/testkit/contract/ImpostorAnchor.json";

  /**
   * An OpenZeppelin ERC-20 with chosen decimals; constructor {@code (string name, string symbol, uint8
   * decimals, uint256 initialSupply)}, the supply minted to the deployer. For tests of payments.
   */
  public static final String TEST_TOKEN = "io/chainseal/testkit/contract/TestToken.json";

  private final String contractName;
  private final String sourceName;
  private final String compilerVersion;
  private final String abiJson;
  private final String bytecode;
  private final String deployedBytecode;

  private ContractArtifact(JsonNode node, String origin) {
    this.contractName = requireText(node, "contractName", origin);
    this.sourceName = node.path("sourceName").asText("");
    this.compilerVersion = node.path("compiler").path("version").asText("");
    this.abiJson = node.path("abi").toString();
    this.bytecode = requireText(node, "bytecode", origin);
    this.deployedBytecode = node.path("deployedBytecode").asText("0x");
    if (!bytecode.startsWith("0x")) {
      throw new IllegalArgumentException(origin + ": bytecode must be 0x-prefixed hex");
    }
  }

  private static String requireText(JsonNode node, String field, String origin) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException(origin + ": missing field '" + field + "'");
    }
    return value.asText();
  }

  /**
   * Loads an artifact from the class path, e.g. {@code "io/chainseal/testkit/contract/Counter.json"}.
   *
   * @throws IllegalArgumentException if the resource is missing or is not an artifact
   */
  public static ContractArtifact fromClasspath(String resource) {
    Objects.requireNonNull(resource, "resource == null");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ContractArtifact.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no contract artifact on the class path at " + resource);
      }
      return fromJson(in, resource);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read contract artifact " + resource, e);
    }
  }

  /** Parses an artifact document; {@code origin} names it in error messages. */
  public static ContractArtifact fromJson(InputStream in, String origin) throws IOException {
    return new ContractArtifact(new ObjectMapper().readTree(in), origin);
  }

  public String contractName() {
    return contractName;
  }

  /** Repository-relative path of the Solidity file it was compiled from. */
  public String sourceName() {
    return sourceName;
  }

  public String compilerVersion() {
    return compilerVersion;
  }

  /** The ABI as a JSON array. */
  public String abiJson() {
    return abiJson;
  }

  /** Creation bytecode, 0x-prefixed hex. */
  public String bytecode() {
    return bytecode;
  }

  /** Runtime bytecode, 0x-prefixed hex (immutables appear zeroed). */
  public String deployedBytecode() {
    return deployedBytecode;
  }

  @Override
  public String toString() {
    return "ContractArtifact[" + contractName + " from " + sourceName + ", " + compilerVersion + "]";
  }
}
