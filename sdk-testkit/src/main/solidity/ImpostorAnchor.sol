// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title An attacker's look-alike of ChainsealAnchor, for tests of verifier set-ups
/// @notice Emits an event with exactly the signature of ChainsealAnchor's Anchored event, but lets the
///         caller name any publisher, root and sequence: what a forger would deploy to make a fake
///         message's root look anchored by a real operator. Verifiers must never accept it.
contract ImpostorAnchor {
    event Anchored(
        address indexed publisher, bytes32 indexed root, uint64 indexed sequence, uint64 treeSize, bytes32 previousRoot
    );

    /// @notice Emits Anchored(publisher, root, sequence, treeSize, previousRoot) for anyone.
    function forge(address publisher, bytes32 root, uint64 treeSize, uint64 sequence, bytes32 previousRoot) external {
        emit Anchored(publisher, root, sequence, treeSize, previousRoot);
    }
}
