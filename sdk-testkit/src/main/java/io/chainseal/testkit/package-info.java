/**
 * A real local Ethereum node for tests and demos: {@link io.chainseal.testkit.LocalChain} starts
 * Anvil on a free loopback port, hands out funded deterministic accounts, deploys committed contract
 * artifacts in one call, and drives the node (mining, snapshots, reorgs, base fee, kill/restart) for
 * fault tests. {@link io.chainseal.testkit.WithLocalChain} does the same for a JUnit 5 test class.
 */
@NullMarked
package io.chainseal.testkit;

import org.jspecify.annotations.NullMarked;
