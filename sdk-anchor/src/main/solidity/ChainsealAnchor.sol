// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {Ownable2Step, Ownable} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title Chainseal anchor registry
/// @notice Records Merkle roots of message batches as events. Each anchor names its publisher
///         (msg.sender), the publisher's batch sequence number and the root of the publisher's
///         previous anchor, so one publisher's anchors form a chain: a skipped batch shows as a gap
///         in sequence numbers, a rewritten one as two anchors claiming the same place.
/// @dev One call per batch, forever: gas is the design constraint. Nothing is written to storage on
///      the anchoring path (a storage write alone would cost 5,000-22,100 gas); the log is the record,
///      and verifiers read it by transaction and log index. With an allow-list, anchoring reads one
///      storage slot.
contract ChainsealAnchor is Ownable2Step {
    /// @notice Whether only publishers on the owner's allow-list may anchor (fixed at deployment).
    bool public immutable restricted;

    /// @notice The allow-list (consulted only when restricted).
    mapping(address publisher => bool) public allowed;

    /// @notice A batch root was anchored.
    /// @param publisher who anchored it (msg.sender)
    /// @param root the RFC 9162 root of the batch
    /// @param sequence the publisher's batch number, from 1
    /// @param treeSize number of leaves (messages) in the batch
    /// @param previousRoot the root of the publisher's anchor with sequence - 1 (zero for the first)
    event Anchored(
        address indexed publisher, bytes32 indexed root, uint64 indexed sequence, uint64 treeSize, bytes32 previousRoot
    );

    event PublisherAllowed(address indexed publisher, bool allowed);

    error NotAllowed(address publisher);
    error EmptyBatch();
    error ZeroSequence();

    constructor(address initialOwner, bool restrictToAllowList) Ownable(initialOwner) {
        restricted = restrictToAllowList;
    }

    /// @notice Anchors a batch root.
    /// @param root the batch's RFC 9162 root
    /// @param treeSize the number of leaves in the batch, at least 1
    /// @param sequence the publisher's batch number, from 1
    /// @param previousRoot the root the publisher anchored with sequence - 1 (zero for sequence 1)
    function anchor(bytes32 root, uint64 treeSize, uint64 sequence, bytes32 previousRoot) external {
        if (restricted && !allowed[msg.sender]) revert NotAllowed(msg.sender);
        if (treeSize == 0) revert EmptyBatch();
        if (sequence == 0) revert ZeroSequence();
        emit Anchored(msg.sender, root, sequence, treeSize, previousRoot);
    }

    /// @notice Adds or removes a publisher from the allow-list (owner only).
    function setPublisher(address publisher, bool isAllowed) external onlyOwner {
        allowed[publisher] = isAllowed;
        emit PublisherAllowed(publisher, isAllowed);
    }
}
