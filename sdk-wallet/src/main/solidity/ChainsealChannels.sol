// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Unidirectional payment channels for Chainseal micropayments
/// @notice A sender locks a deposit of ETH or one ERC-20 token for a recipient until an expiry. Off chain,
///         the sender signs EIP-712 vouchers for a growing cumulative amount; the recipient closes the
///         channel with the last one and receives exactly that amount; the rest is credited to the sender,
///         who withdraws it. The contract only ever sends to the caller of a function.
///         If the recipient never closes, the sender reclaims the whole deposit after the expiry.
/// @dev Vouchers are EIP-712 typed data in the domain ("Chainseal Channels", "1", chainId, this contract),
///      so a voucher binds the chain and this contract as well as the channel; channel ids also hash both.
///      A channel id is never reused, so a voucher of a closed channel can never pay again.
contract ChainsealChannels is EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct Channel {
        address sender;
        uint64 expiry;
        address recipient;
        address token; // address(0) for ETH
        uint256 deposit;
    }

    /// @notice Gas a push of ETH to a party may use; if it fails (a contract that refuses ETH or needs more),
    ///         the amount is owed instead, to be withdrawn. Bounded, and without copying return data, so that
    ///         no party can make another's closing run out of gas.
    uint256 private constant PUSH_GAS = 100_000;

    /// @notice EIP-712 type of a voucher: the channel and the cumulative amount it allows the recipient.
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(bytes32 channelId,uint256 cumulativeAmount)");

    /// @notice Open channels by id.
    mapping(bytes32 channelId => Channel) public channels;
    /// @notice Ids ever used: a closed or reclaimed channel's id stays taken.
    mapping(bytes32 channelId => bool) public used;
    /// @notice What the contract holds for an account: a sender's refund after a closing, or what a push to
    ///         the caller could not deliver (it refused ETH, or the token refused the transfer). Withdrawn with
    ///         `withdraw`.
    mapping(address token => mapping(address account => uint256)) public owed;

    event Opened(
        bytes32 indexed channelId, address indexed sender, address indexed recipient, address token, uint256 deposit, uint64 expiry
    );
    event ToppedUp(bytes32 indexed channelId, uint256 amount, uint256 deposit);
    event Extended(bytes32 indexed channelId, uint64 expiry);
    event Closed(bytes32 indexed channelId, uint256 paid, uint256 refunded);
    event Reclaimed(bytes32 indexed channelId, uint256 refunded);
    event Owed(address indexed token, address indexed account, uint256 amount);
    event Withdrawn(address indexed token, address indexed account, uint256 amount);

    error ChannelExists(bytes32 channelId);
    error NoSuchChannel(bytes32 channelId);
    error InvalidRecipient();
    error InvalidAmount();
    error InvalidExpiry();
    error WrongValue(uint256 expected, uint256 sent);
    error NotSender();
    error NotRecipient();
    error NotExpired(uint64 expiry);
    error AboveDeposit(uint256 cumulativeAmount, uint256 deposit);
    error BadSignature();
    error TransferFailed();

    constructor() EIP712("Chainseal Channels", "1") {}

    /// @notice The id a channel of these parties and salt gets on this chain and contract.
    function channelId(address sender, address recipient, address token, bytes32 salt) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), sender, recipient, token, salt));
    }

    /// @notice Opens a channel from the caller to `recipient` with a deposit of `amount` (ETH sent along when
    ///         `token` is zero, else pulled with transferFrom after an approve), until `expiry`.
    function open(address recipient, address token, uint256 amount, uint64 expiry, bytes32 salt)
        external
        payable
        nonReentrant
        returns (bytes32 id)
    {
        if (recipient == address(0) || recipient == msg.sender) revert InvalidRecipient();
        if (amount == 0) revert InvalidAmount();
        if (expiry <= block.timestamp) revert InvalidExpiry();
        id = channelId(msg.sender, recipient, token, salt);
        if (used[id]) revert ChannelExists(id);
        used[id] = true;
        uint256 received = _pull(token, amount);
        channels[id] = Channel({sender: msg.sender, expiry: expiry, recipient: recipient, token: token, deposit: received});
        emit Opened(id, msg.sender, recipient, token, received, expiry);
    }

    /// @notice Adds `amount` to an open channel's deposit. Only its sender.
    function topUp(bytes32 id, uint256 amount) external payable nonReentrant {
        Channel storage channel = _open(id);
        if (msg.sender != channel.sender) revert NotSender();
        if (amount == 0) revert InvalidAmount();
        uint256 received = _pull(channel.token, amount);
        channel.deposit += received;
        emit ToppedUp(id, received, channel.deposit);
    }

    /// @notice Moves an open channel's expiry later. Only its sender.
    function extend(bytes32 id, uint64 expiry) external {
        Channel storage channel = _open(id);
        if (msg.sender != channel.sender) revert NotSender();
        if (expiry <= channel.expiry) revert InvalidExpiry();
        channel.expiry = expiry;
        emit Extended(id, expiry);
    }

    /// @notice Closes a channel with the sender's voucher for `cumulativeAmount`: the recipient receives it,
    ///         the rest is credited to the sender (`withdraw`). Only the recipient, at any time before the
    ///         sender reclaims.
    function close(bytes32 id, uint256 cumulativeAmount, bytes calldata signature) external nonReentrant {
        Channel memory channel = _open(id);
        if (msg.sender != channel.recipient) revert NotRecipient();
        if (cumulativeAmount > channel.deposit) revert AboveDeposit(cumulativeAmount, channel.deposit);
        (address signer, ECDSA.RecoverError failure,) = ECDSA.tryRecover(voucherDigest(id, cumulativeAmount), signature);
        if (failure != ECDSA.RecoverError.NoError || signer != channel.sender) revert BadSignature();
        delete channels[id];
        uint256 refund = channel.deposit - cumulativeAmount;
        // Only the caller is sent anything: the sender's refund is credited, to be withdrawn, so no code at
        // the sender's address can make the recipient's closing fail or cost more.
        _pushOrOwe(channel.token, channel.recipient, cumulativeAmount);
        if (refund != 0) {
            owed[channel.token][channel.sender] += refund;
            emit Owed(channel.token, channel.sender, refund);
        }
        emit Closed(id, cumulativeAmount, refund);
    }

    /// @notice Gives the whole deposit back to the sender once the channel has expired unclosed. Only its sender.
    function reclaim(bytes32 id) external nonReentrant {
        Channel memory channel = _open(id);
        if (msg.sender != channel.sender) revert NotSender();
        if (block.timestamp < channel.expiry) revert NotExpired(channel.expiry);
        delete channels[id];
        _pushOrOwe(channel.token, channel.sender, channel.deposit);
        emit Reclaimed(id, channel.deposit);
    }

    /// @notice The EIP-712 digest a voucher's signature covers.
    function voucherDigest(bytes32 id, uint256 cumulativeAmount) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, id, cumulativeAmount)));
    }

    function _open(bytes32 id) private view returns (Channel storage channel) {
        channel = channels[id];
        if (channel.sender == address(0)) revert NoSuchChannel(id);
    }

    /// @dev Takes `amount` from the caller and returns what actually arrived: a token that charges a fee on
    ///      transfers delivers less, and only what arrived may back vouchers.
    function _pull(address token, uint256 amount) private returns (uint256 received) {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongValue(amount, msg.value);
            return amount;
        }
        if (msg.value != 0) revert WrongValue(0, msg.value);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        received = IERC20(token).balanceOf(address(this)) - before;
        if (received == 0) revert InvalidAmount();
    }

    /// @notice Sends the caller what a closing owes it.
    function withdraw(address token) external nonReentrant {
        uint256 amount = owed[token][msg.sender];
        if (amount == 0) revert InvalidAmount();
        owed[token][msg.sender] = 0;
        if (token == address(0)) {
            if (!_sendEther(msg.sender, amount, gasleft())) revert TransferFailed();
        } else {
            IERC20(token).safeTransfer(msg.sender, amount);
        }
        emit Withdrawn(token, msg.sender, amount);
    }

    function _pushOrOwe(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        bool ok = token == address(0) ? _sendEther(to, amount, PUSH_GAS) : IERC20(token).trySafeTransfer(to, amount);
        if (!ok) {
            owed[token][to] += amount;
            emit Owed(token, to, amount);
        }
    }

    /// @dev A call that sends ETH with at most `gasLimit` gas and copies no return data: a receiver that
    ///      answers with a huge revert message cannot make the caller pay for copying it.
    function _sendEther(address to, uint256 amount, uint256 gasLimit) private returns (bool ok) {
        assembly ("memory-safe") {
            ok := call(gasLimit, to, amount, 0, 0, 0, 0)
        }
    }
}
