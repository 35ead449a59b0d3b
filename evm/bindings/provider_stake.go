// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// ProviderStakeUnstake is an auto generated low-level Go binding around an user-defined struct.
type ProviderStakeUnstake struct {
	Amount      *big.Int
	AvailableAt uint64
}

// ProviderStakeMetaData contains all meta data concerning the ProviderStake contract.
var ProviderStakeMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"unstakeDelay_\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"arbiter\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AccessControlBadConfirmation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"neededRole\",\"type\":\"bytes32\"}],\"name\":\"AccessControlUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"requested\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"staked\",\"type\":\"uint256\"}],\"name\":\"InsufficientStake\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidConsumer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"InvalidParameter\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoPendingUnstake\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"availableAt\",\"type\":\"uint64\"}],\"name\":\"UnstakeNotReady\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"previousAdminRole\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"newAdminRole\",\"type\":\"bytes32\"}],\"name\":\"RoleAdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleGranted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"evidenceDigest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"arbiter\",\"type\":\"address\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Staked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"availableAt\",\"type\":\"uint64\"}],\"name\":\"UnstakeRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Unstaked\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"ARBITER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DEFAULT_ADMIN_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"}],\"name\":\"getRoleAdmin\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"grantRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"hasRole\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"pendingUnstake\",\"outputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"availableAt\",\"type\":\"uint64\"}],\"internalType\":\"structProviderStake.Unstake\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"callerConfirmation\",\"type\":\"address\"}],\"name\":\"renounceRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"requestUnstake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"revokeRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"evidenceDigest\",\"type\":\"bytes32\"}],\"name\":\"slash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"stake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"stakeOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes4\",\"name\":\"interfaceId\",\"type\":\"bytes4\"}],\"name\":\"supportsInterface\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unstake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unstakeDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x60c060405234801561000f575f5ffd5b50604051610fde380380610fde83398101604081905261002e916101ef565b60017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00556001600160a01b038316610096576040516305519d6f60e51b81526020600482015260056024820152643a37b5b2b760d91b60448201526064015b60405180910390fd5b6001600160a01b0381166100d7576040516305519d6f60e51b815260206004820152600760248201526630b93134ba32b960c91b604482015260640161008d565b6001600160a01b0383166080526001600160401b03821660a0526100fb5f3361012f565b506101267fbb08418a67729a078f87bbc8d02a770929bb68f5bfdf134ae2ead6ed38e2f4ae8261012f565b50505050610244565b5f828152602081815260408083206001600160a01b038516845290915281205460ff166101cf575f838152602081815260408083206001600160a01b03861684529091529020805460ff191660011790556101873390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a45060016101d2565b505f5b92915050565b6001600160a01b03811681146101ec575f5ffd5b50565b5f5f5f60608486031215610201575f5ffd5b835161020c816101d8565b60208501519093506001600160401b0381168114610228575f5ffd5b6040850151909250610239816101d8565b809150509250925092565b60805160a051610d5d6102815f395f818161018c01526103d801525f818161030301528181610590015281816106ea01526108480152610d5d5ff3fe608060405234801561000f575f5ffd5b50600436106100fb575f3560e01c80634d104adf11610093578063a694fc3a11610063578063a694fc3a146102c5578063d43066b9146102d8578063d547741f146102eb578063fc0c546a146102fe575f5ffd5b80634d104adf1461020257806356d6ea4f1461022957806391d14854146102ab578063a217fddf146102be575f5ffd5b80632f2ff15d116100ce5780632f2ff15d146101745780633222012f1461018757806336568abe146101c757806342623360146101da575f5ffd5b806301ffc9a7146100ff5780632309572114610127578063248a9ca31461013c5780632def66201461016c575b5f5ffd5b61011261010d366004610bc9565b61033d565b60405190151581526020015b60405180910390f35b61013a610135366004610bf7565b610373565b005b61015e61014a366004610bf7565b5f9081526020819052604090206001015490565b60405190815260200161011e565b61015e610489565b61013a610182366004610c29565b610607565b6101ae7f000000000000000000000000000000000000000000000000000000000000000081565b60405167ffffffffffffffff909116815260200161011e565b61013a6101d5366004610c29565b610631565b61015e6101e8366004610c53565b6001600160a01b03165f9081526001602052604090205490565b61015e7fbb08418a67729a078f87bbc8d02a770929bb68f5bfdf134ae2ead6ed38e2f4ae81565b610286610237366004610c53565b604080518082019091525f8082526020820152506001600160a01b03165f908152600260209081526040918290208251808401909352805483526001015467ffffffffffffffff169082015290565b604080518251815260209283015167ffffffffffffffff16928101929092520161011e565b6101126102b9366004610c29565b610669565b61015e5f81565b61013a6102d3366004610bf7565b610691565b61013a6102e6366004610c6c565b610760565b61013a6102f9366004610c29565b6108d1565b6103257f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161011e565b5f6001600160e01b03198216637965db0b60e01b148061036d57506301ffc9a760e01b6001600160e01b03198316145b92915050565b805f0361039357604051631f2a200560e01b815260040160405180910390fd5b335f90815260016020526040902054808211156103d2576040516322df051360e11b815260048101839052602481018290526044015b60405180910390fd5b5f6103fd7f000000000000000000000000000000000000000000000000000000000000000042610cc1565b60408051808201825285815267ffffffffffffffff8381166020808401828152335f818152600284528790209551865590516001909501805467ffffffffffffffff19169590941694909417909255835188815291820152929350917f21020437c0e4b58b34bd7ac1f1cef55e7820d1bcd93824ceb273cad96eea704c910160405180910390a2505050565b5f6104926108f5565b335f9081526002602090815260408083208151808301909252805482526001015467ffffffffffffffff1691810182905291036104e257604051631509a84360e11b815260040160405180910390fd5b806020015167ffffffffffffffff16421015610523576020810151604051637ddba8a760e11b815267ffffffffffffffff90911660048201526024016103c9565b335f9081526002602090815260408083208381556001908101805467ffffffffffffffff191690559091529020548151811161055f5780610562565b81515b925061056e8382610ce1565b335f9081526001602052604090205582156105b7576105b76001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163385610910565b60405183815233907f0f5bb82176feb1b5e747e28471aa92156a04d9f3ab9f45f28e2d704232b93f759060200160405180910390a2505061060460015f516020610d085f395f51905f5255565b90565b5f8281526020819052604090206001015461062181610945565b61062b838361094f565b50505050565b6001600160a01b038116331461065a5760405163334bd91960e11b815260040160405180910390fd5b61066482826109de565b505050565b5f918252602082815260408084206001600160a01b0393909316845291905290205460ff1690565b6106996108f5565b805f036106b957604051631f2a200560e01b815260040160405180910390fd5b335f90815260016020526040812080548392906106d7908490610cf4565b9091555061071290506001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016333084610a47565b60405181815233907f9e71bc8eea02a63969f509818f2dafb9254532904319f9dbda79b67bd34a5f3d9060200160405180910390a261075d60015f516020610d085f395f51905f5255565b50565b6107686108f5565b7fbb08418a67729a078f87bbc8d02a770929bb68f5bfdf134ae2ead6ed38e2f4ae61079281610945565b835f036107b257604051631f2a200560e01b815260040160405180910390fd5b6001600160a01b0383166107d9576040516371e8313760e01b815260040160405180910390fd5b6001600160a01b0385165f908152600160205260409020548085111561081c576040516322df051360e11b815260048101869052602481018290526044016103c9565b6108268582610ce1565b6001600160a01b038088165f9081526001602052604090209190915561086f907f0000000000000000000000000000000000000000000000000000000000000000168587610910565b6040805186815233602082015284916001600160a01b0380881692908a16917f0e1ad01fafecd677e04496fcde39f9f42b9c18a7220f1987edd51567aa5ed168910160405180910390a4505061062b60015f516020610d085f395f51905f5255565b5f828152602081905260409020600101546108eb81610945565b61062b83836109de565b6108fd610a7d565b60025f516020610d085f395f51905f5255565b61091d8383836001610ab6565b61066457604051635274afe760e01b81526001600160a01b03841660048201526024016103c9565b61075d8133610b18565b5f61095a8383610669565b6109d7575f838152602081815260408083206001600160a01b03861684529091529020805460ff1916600117905561098f3390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a450600161036d565b505f61036d565b5f6109e98383610669565b156109d7575f838152602081815260408083206001600160a01b0386168085529252808320805460ff1916905551339286917ff6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b9190a450600161036d565b610a55848484846001610b55565b61062b57604051635274afe760e01b81526001600160a01b03851660048201526024016103c9565b610a965f60025f516020610d085f395f51905f52610bc2565b15610ab457604051633ee5aeb560e01b815260040160405180910390fd5b565b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f51148316610b0c578383151615610b00573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b610b228282610669565b610b515760405163e2517d3f60e01b81526001600160a01b0382166004820152602481018390526044016103c9565b5050565b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f51148316610bb1578383151615610ba5573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5414919050565b5f60208284031215610bd9575f5ffd5b81356001600160e01b031981168114610bf0575f5ffd5b9392505050565b5f60208284031215610c07575f5ffd5b5035919050565b80356001600160a01b0381168114610c24575f5ffd5b919050565b5f5f60408385031215610c3a575f5ffd5b82359150610c4a60208401610c0e565b90509250929050565b5f60208284031215610c63575f5ffd5b610bf082610c0e565b5f5f5f5f60808587031215610c7f575f5ffd5b610c8885610c0e565b935060208501359250610c9d60408601610c0e565b9396929550929360600135925050565b634e487b7160e01b5f52601160045260245ffd5b67ffffffffffffffff818116838216019081111561036d5761036d610cad565b8181038181111561036d5761036d610cad565b8082018082111561036d5761036d610cad56fe9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00a26469706673582212206f6913250291b7c47198d64f89cd930166ea0b210afd5509e66e51d44560fdbe64736f6c63430008250033",
}

// ProviderStakeABI is the input ABI used to generate the binding from.
// Deprecated: Use ProviderStakeMetaData.ABI instead.
var ProviderStakeABI = ProviderStakeMetaData.ABI

// ProviderStakeBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use ProviderStakeMetaData.Bin instead.
var ProviderStakeBin = ProviderStakeMetaData.Bin

// DeployProviderStake deploys a new Ethereum contract, binding an instance of ProviderStake to it.
func DeployProviderStake(auth *bind.TransactOpts, backend bind.ContractBackend, token_ common.Address, unstakeDelay_ uint64, arbiter common.Address) (common.Address, *types.Transaction, *ProviderStake, error) {
	parsed, err := ProviderStakeMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(ProviderStakeBin), backend, token_, unstakeDelay_, arbiter)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &ProviderStake{ProviderStakeCaller: ProviderStakeCaller{contract: contract}, ProviderStakeTransactor: ProviderStakeTransactor{contract: contract}, ProviderStakeFilterer: ProviderStakeFilterer{contract: contract}}, nil
}

// ProviderStake is an auto generated Go binding around an Ethereum contract.
type ProviderStake struct {
	ProviderStakeCaller     // Read-only binding to the contract
	ProviderStakeTransactor // Write-only binding to the contract
	ProviderStakeFilterer   // Log filterer for contract events
}

// ProviderStakeCaller is an auto generated read-only Go binding around an Ethereum contract.
type ProviderStakeCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// ProviderStakeTransactor is an auto generated write-only Go binding around an Ethereum contract.
type ProviderStakeTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// ProviderStakeFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type ProviderStakeFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// ProviderStakeSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type ProviderStakeSession struct {
	Contract     *ProviderStake    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// ProviderStakeCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type ProviderStakeCallerSession struct {
	Contract *ProviderStakeCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// ProviderStakeTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type ProviderStakeTransactorSession struct {
	Contract     *ProviderStakeTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// ProviderStakeRaw is an auto generated low-level Go binding around an Ethereum contract.
type ProviderStakeRaw struct {
	Contract *ProviderStake // Generic contract binding to access the raw methods on
}

// ProviderStakeCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type ProviderStakeCallerRaw struct {
	Contract *ProviderStakeCaller // Generic read-only contract binding to access the raw methods on
}

// ProviderStakeTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type ProviderStakeTransactorRaw struct {
	Contract *ProviderStakeTransactor // Generic write-only contract binding to access the raw methods on
}

// NewProviderStake creates a new instance of ProviderStake, bound to a specific deployed contract.
func NewProviderStake(address common.Address, backend bind.ContractBackend) (*ProviderStake, error) {
	contract, err := bindProviderStake(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &ProviderStake{ProviderStakeCaller: ProviderStakeCaller{contract: contract}, ProviderStakeTransactor: ProviderStakeTransactor{contract: contract}, ProviderStakeFilterer: ProviderStakeFilterer{contract: contract}}, nil
}

// NewProviderStakeCaller creates a new read-only instance of ProviderStake, bound to a specific deployed contract.
func NewProviderStakeCaller(address common.Address, caller bind.ContractCaller) (*ProviderStakeCaller, error) {
	contract, err := bindProviderStake(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeCaller{contract: contract}, nil
}

// NewProviderStakeTransactor creates a new write-only instance of ProviderStake, bound to a specific deployed contract.
func NewProviderStakeTransactor(address common.Address, transactor bind.ContractTransactor) (*ProviderStakeTransactor, error) {
	contract, err := bindProviderStake(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeTransactor{contract: contract}, nil
}

// NewProviderStakeFilterer creates a new log filterer instance of ProviderStake, bound to a specific deployed contract.
func NewProviderStakeFilterer(address common.Address, filterer bind.ContractFilterer) (*ProviderStakeFilterer, error) {
	contract, err := bindProviderStake(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeFilterer{contract: contract}, nil
}

// bindProviderStake binds a generic wrapper to an already deployed contract.
func bindProviderStake(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := ProviderStakeMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_ProviderStake *ProviderStakeRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _ProviderStake.Contract.ProviderStakeCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_ProviderStake *ProviderStakeRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _ProviderStake.Contract.ProviderStakeTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_ProviderStake *ProviderStakeRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _ProviderStake.Contract.ProviderStakeTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_ProviderStake *ProviderStakeCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _ProviderStake.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_ProviderStake *ProviderStakeTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _ProviderStake.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_ProviderStake *ProviderStakeTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _ProviderStake.Contract.contract.Transact(opts, method, params...)
}

// ARBITERROLE is a free data retrieval call binding the contract method 0x4d104adf.
//
// Solidity: function ARBITER_ROLE() view returns(bytes32)
func (_ProviderStake *ProviderStakeCaller) ARBITERROLE(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "ARBITER_ROLE")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// ARBITERROLE is a free data retrieval call binding the contract method 0x4d104adf.
//
// Solidity: function ARBITER_ROLE() view returns(bytes32)
func (_ProviderStake *ProviderStakeSession) ARBITERROLE() ([32]byte, error) {
	return _ProviderStake.Contract.ARBITERROLE(&_ProviderStake.CallOpts)
}

// ARBITERROLE is a free data retrieval call binding the contract method 0x4d104adf.
//
// Solidity: function ARBITER_ROLE() view returns(bytes32)
func (_ProviderStake *ProviderStakeCallerSession) ARBITERROLE() ([32]byte, error) {
	return _ProviderStake.Contract.ARBITERROLE(&_ProviderStake.CallOpts)
}

// DEFAULTADMINROLE is a free data retrieval call binding the contract method 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (_ProviderStake *ProviderStakeCaller) DEFAULTADMINROLE(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "DEFAULT_ADMIN_ROLE")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// DEFAULTADMINROLE is a free data retrieval call binding the contract method 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (_ProviderStake *ProviderStakeSession) DEFAULTADMINROLE() ([32]byte, error) {
	return _ProviderStake.Contract.DEFAULTADMINROLE(&_ProviderStake.CallOpts)
}

// DEFAULTADMINROLE is a free data retrieval call binding the contract method 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (_ProviderStake *ProviderStakeCallerSession) DEFAULTADMINROLE() ([32]byte, error) {
	return _ProviderStake.Contract.DEFAULTADMINROLE(&_ProviderStake.CallOpts)
}

// GetRoleAdmin is a free data retrieval call binding the contract method 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (_ProviderStake *ProviderStakeCaller) GetRoleAdmin(opts *bind.CallOpts, role [32]byte) ([32]byte, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "getRoleAdmin", role)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// GetRoleAdmin is a free data retrieval call binding the contract method 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (_ProviderStake *ProviderStakeSession) GetRoleAdmin(role [32]byte) ([32]byte, error) {
	return _ProviderStake.Contract.GetRoleAdmin(&_ProviderStake.CallOpts, role)
}

// GetRoleAdmin is a free data retrieval call binding the contract method 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (_ProviderStake *ProviderStakeCallerSession) GetRoleAdmin(role [32]byte) ([32]byte, error) {
	return _ProviderStake.Contract.GetRoleAdmin(&_ProviderStake.CallOpts, role)
}

// HasRole is a free data retrieval call binding the contract method 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (_ProviderStake *ProviderStakeCaller) HasRole(opts *bind.CallOpts, role [32]byte, account common.Address) (bool, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "hasRole", role, account)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// HasRole is a free data retrieval call binding the contract method 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (_ProviderStake *ProviderStakeSession) HasRole(role [32]byte, account common.Address) (bool, error) {
	return _ProviderStake.Contract.HasRole(&_ProviderStake.CallOpts, role, account)
}

// HasRole is a free data retrieval call binding the contract method 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (_ProviderStake *ProviderStakeCallerSession) HasRole(role [32]byte, account common.Address) (bool, error) {
	return _ProviderStake.Contract.HasRole(&_ProviderStake.CallOpts, role, account)
}

// PendingUnstake is a free data retrieval call binding the contract method 0x56d6ea4f.
//
// Solidity: function pendingUnstake(address provider) view returns((uint256,uint64))
func (_ProviderStake *ProviderStakeCaller) PendingUnstake(opts *bind.CallOpts, provider common.Address) (ProviderStakeUnstake, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "pendingUnstake", provider)

	if err != nil {
		return *new(ProviderStakeUnstake), err
	}

	out0 := *abi.ConvertType(out[0], new(ProviderStakeUnstake)).(*ProviderStakeUnstake)

	return out0, err

}

// PendingUnstake is a free data retrieval call binding the contract method 0x56d6ea4f.
//
// Solidity: function pendingUnstake(address provider) view returns((uint256,uint64))
func (_ProviderStake *ProviderStakeSession) PendingUnstake(provider common.Address) (ProviderStakeUnstake, error) {
	return _ProviderStake.Contract.PendingUnstake(&_ProviderStake.CallOpts, provider)
}

// PendingUnstake is a free data retrieval call binding the contract method 0x56d6ea4f.
//
// Solidity: function pendingUnstake(address provider) view returns((uint256,uint64))
func (_ProviderStake *ProviderStakeCallerSession) PendingUnstake(provider common.Address) (ProviderStakeUnstake, error) {
	return _ProviderStake.Contract.PendingUnstake(&_ProviderStake.CallOpts, provider)
}

// StakeOf is a free data retrieval call binding the contract method 0x42623360.
//
// Solidity: function stakeOf(address provider) view returns(uint256)
func (_ProviderStake *ProviderStakeCaller) StakeOf(opts *bind.CallOpts, provider common.Address) (*big.Int, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "stakeOf", provider)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// StakeOf is a free data retrieval call binding the contract method 0x42623360.
//
// Solidity: function stakeOf(address provider) view returns(uint256)
func (_ProviderStake *ProviderStakeSession) StakeOf(provider common.Address) (*big.Int, error) {
	return _ProviderStake.Contract.StakeOf(&_ProviderStake.CallOpts, provider)
}

// StakeOf is a free data retrieval call binding the contract method 0x42623360.
//
// Solidity: function stakeOf(address provider) view returns(uint256)
func (_ProviderStake *ProviderStakeCallerSession) StakeOf(provider common.Address) (*big.Int, error) {
	return _ProviderStake.Contract.StakeOf(&_ProviderStake.CallOpts, provider)
}

// SupportsInterface is a free data retrieval call binding the contract method 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (_ProviderStake *ProviderStakeCaller) SupportsInterface(opts *bind.CallOpts, interfaceId [4]byte) (bool, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "supportsInterface", interfaceId)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// SupportsInterface is a free data retrieval call binding the contract method 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (_ProviderStake *ProviderStakeSession) SupportsInterface(interfaceId [4]byte) (bool, error) {
	return _ProviderStake.Contract.SupportsInterface(&_ProviderStake.CallOpts, interfaceId)
}

// SupportsInterface is a free data retrieval call binding the contract method 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (_ProviderStake *ProviderStakeCallerSession) SupportsInterface(interfaceId [4]byte) (bool, error) {
	return _ProviderStake.Contract.SupportsInterface(&_ProviderStake.CallOpts, interfaceId)
}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_ProviderStake *ProviderStakeCaller) Token(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "token")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_ProviderStake *ProviderStakeSession) Token() (common.Address, error) {
	return _ProviderStake.Contract.Token(&_ProviderStake.CallOpts)
}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_ProviderStake *ProviderStakeCallerSession) Token() (common.Address, error) {
	return _ProviderStake.Contract.Token(&_ProviderStake.CallOpts)
}

// UnstakeDelay is a free data retrieval call binding the contract method 0x3222012f.
//
// Solidity: function unstakeDelay() view returns(uint64)
func (_ProviderStake *ProviderStakeCaller) UnstakeDelay(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _ProviderStake.contract.Call(opts, &out, "unstakeDelay")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// UnstakeDelay is a free data retrieval call binding the contract method 0x3222012f.
//
// Solidity: function unstakeDelay() view returns(uint64)
func (_ProviderStake *ProviderStakeSession) UnstakeDelay() (uint64, error) {
	return _ProviderStake.Contract.UnstakeDelay(&_ProviderStake.CallOpts)
}

// UnstakeDelay is a free data retrieval call binding the contract method 0x3222012f.
//
// Solidity: function unstakeDelay() view returns(uint64)
func (_ProviderStake *ProviderStakeCallerSession) UnstakeDelay() (uint64, error) {
	return _ProviderStake.Contract.UnstakeDelay(&_ProviderStake.CallOpts)
}

// GrantRole is a paid mutator transaction binding the contract method 0x2f2ff15d.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (_ProviderStake *ProviderStakeTransactor) GrantRole(opts *bind.TransactOpts, role [32]byte, account common.Address) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "grantRole", role, account)
}

// GrantRole is a paid mutator transaction binding the contract method 0x2f2ff15d.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (_ProviderStake *ProviderStakeSession) GrantRole(role [32]byte, account common.Address) (*types.Transaction, error) {
	return _ProviderStake.Contract.GrantRole(&_ProviderStake.TransactOpts, role, account)
}

// GrantRole is a paid mutator transaction binding the contract method 0x2f2ff15d.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (_ProviderStake *ProviderStakeTransactorSession) GrantRole(role [32]byte, account common.Address) (*types.Transaction, error) {
	return _ProviderStake.Contract.GrantRole(&_ProviderStake.TransactOpts, role, account)
}

// RenounceRole is a paid mutator transaction binding the contract method 0x36568abe.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (_ProviderStake *ProviderStakeTransactor) RenounceRole(opts *bind.TransactOpts, role [32]byte, callerConfirmation common.Address) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "renounceRole", role, callerConfirmation)
}

// RenounceRole is a paid mutator transaction binding the contract method 0x36568abe.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (_ProviderStake *ProviderStakeSession) RenounceRole(role [32]byte, callerConfirmation common.Address) (*types.Transaction, error) {
	return _ProviderStake.Contract.RenounceRole(&_ProviderStake.TransactOpts, role, callerConfirmation)
}

// RenounceRole is a paid mutator transaction binding the contract method 0x36568abe.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (_ProviderStake *ProviderStakeTransactorSession) RenounceRole(role [32]byte, callerConfirmation common.Address) (*types.Transaction, error) {
	return _ProviderStake.Contract.RenounceRole(&_ProviderStake.TransactOpts, role, callerConfirmation)
}

// RequestUnstake is a paid mutator transaction binding the contract method 0x23095721.
//
// Solidity: function requestUnstake(uint256 amount) returns()
func (_ProviderStake *ProviderStakeTransactor) RequestUnstake(opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "requestUnstake", amount)
}

// RequestUnstake is a paid mutator transaction binding the contract method 0x23095721.
//
// Solidity: function requestUnstake(uint256 amount) returns()
func (_ProviderStake *ProviderStakeSession) RequestUnstake(amount *big.Int) (*types.Transaction, error) {
	return _ProviderStake.Contract.RequestUnstake(&_ProviderStake.TransactOpts, amount)
}

// RequestUnstake is a paid mutator transaction binding the contract method 0x23095721.
//
// Solidity: function requestUnstake(uint256 amount) returns()
func (_ProviderStake *ProviderStakeTransactorSession) RequestUnstake(amount *big.Int) (*types.Transaction, error) {
	return _ProviderStake.Contract.RequestUnstake(&_ProviderStake.TransactOpts, amount)
}

// RevokeRole is a paid mutator transaction binding the contract method 0xd547741f.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (_ProviderStake *ProviderStakeTransactor) RevokeRole(opts *bind.TransactOpts, role [32]byte, account common.Address) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "revokeRole", role, account)
}

// RevokeRole is a paid mutator transaction binding the contract method 0xd547741f.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (_ProviderStake *ProviderStakeSession) RevokeRole(role [32]byte, account common.Address) (*types.Transaction, error) {
	return _ProviderStake.Contract.RevokeRole(&_ProviderStake.TransactOpts, role, account)
}

// RevokeRole is a paid mutator transaction binding the contract method 0xd547741f.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (_ProviderStake *ProviderStakeTransactorSession) RevokeRole(role [32]byte, account common.Address) (*types.Transaction, error) {
	return _ProviderStake.Contract.RevokeRole(&_ProviderStake.TransactOpts, role, account)
}

// Slash is a paid mutator transaction binding the contract method 0xd43066b9.
//
// Solidity: function slash(address provider, uint256 amount, address consumer, bytes32 evidenceDigest) returns()
func (_ProviderStake *ProviderStakeTransactor) Slash(opts *bind.TransactOpts, provider common.Address, amount *big.Int, consumer common.Address, evidenceDigest [32]byte) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "slash", provider, amount, consumer, evidenceDigest)
}

// Slash is a paid mutator transaction binding the contract method 0xd43066b9.
//
// Solidity: function slash(address provider, uint256 amount, address consumer, bytes32 evidenceDigest) returns()
func (_ProviderStake *ProviderStakeSession) Slash(provider common.Address, amount *big.Int, consumer common.Address, evidenceDigest [32]byte) (*types.Transaction, error) {
	return _ProviderStake.Contract.Slash(&_ProviderStake.TransactOpts, provider, amount, consumer, evidenceDigest)
}

// Slash is a paid mutator transaction binding the contract method 0xd43066b9.
//
// Solidity: function slash(address provider, uint256 amount, address consumer, bytes32 evidenceDigest) returns()
func (_ProviderStake *ProviderStakeTransactorSession) Slash(provider common.Address, amount *big.Int, consumer common.Address, evidenceDigest [32]byte) (*types.Transaction, error) {
	return _ProviderStake.Contract.Slash(&_ProviderStake.TransactOpts, provider, amount, consumer, evidenceDigest)
}

// Stake is a paid mutator transaction binding the contract method 0xa694fc3a.
//
// Solidity: function stake(uint256 amount) returns()
func (_ProviderStake *ProviderStakeTransactor) Stake(opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "stake", amount)
}

// Stake is a paid mutator transaction binding the contract method 0xa694fc3a.
//
// Solidity: function stake(uint256 amount) returns()
func (_ProviderStake *ProviderStakeSession) Stake(amount *big.Int) (*types.Transaction, error) {
	return _ProviderStake.Contract.Stake(&_ProviderStake.TransactOpts, amount)
}

// Stake is a paid mutator transaction binding the contract method 0xa694fc3a.
//
// Solidity: function stake(uint256 amount) returns()
func (_ProviderStake *ProviderStakeTransactorSession) Stake(amount *big.Int) (*types.Transaction, error) {
	return _ProviderStake.Contract.Stake(&_ProviderStake.TransactOpts, amount)
}

// Unstake is a paid mutator transaction binding the contract method 0x2def6620.
//
// Solidity: function unstake() returns(uint256 paid)
func (_ProviderStake *ProviderStakeTransactor) Unstake(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _ProviderStake.contract.Transact(opts, "unstake")
}

// Unstake is a paid mutator transaction binding the contract method 0x2def6620.
//
// Solidity: function unstake() returns(uint256 paid)
func (_ProviderStake *ProviderStakeSession) Unstake() (*types.Transaction, error) {
	return _ProviderStake.Contract.Unstake(&_ProviderStake.TransactOpts)
}

// Unstake is a paid mutator transaction binding the contract method 0x2def6620.
//
// Solidity: function unstake() returns(uint256 paid)
func (_ProviderStake *ProviderStakeTransactorSession) Unstake() (*types.Transaction, error) {
	return _ProviderStake.Contract.Unstake(&_ProviderStake.TransactOpts)
}

// ProviderStakeRoleAdminChangedIterator is returned from FilterRoleAdminChanged and is used to iterate over the raw logs and unpacked data for RoleAdminChanged events raised by the ProviderStake contract.
type ProviderStakeRoleAdminChangedIterator struct {
	Event *ProviderStakeRoleAdminChanged // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeRoleAdminChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeRoleAdminChanged)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeRoleAdminChanged)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeRoleAdminChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeRoleAdminChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeRoleAdminChanged represents a RoleAdminChanged event raised by the ProviderStake contract.
type ProviderStakeRoleAdminChanged struct {
	Role              [32]byte
	PreviousAdminRole [32]byte
	NewAdminRole      [32]byte
	Raw               types.Log // Blockchain specific contextual infos
}

// FilterRoleAdminChanged is a free log retrieval operation binding the contract event 0xbd79b86ffe0ab8e8776151514217cd7cacd52c909f66475c3af44e129f0b00ff.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (_ProviderStake *ProviderStakeFilterer) FilterRoleAdminChanged(opts *bind.FilterOpts, role [][32]byte, previousAdminRole [][32]byte, newAdminRole [][32]byte) (*ProviderStakeRoleAdminChangedIterator, error) {

	var roleRule []interface{}
	for _, roleItem := range role {
		roleRule = append(roleRule, roleItem)
	}
	var previousAdminRoleRule []interface{}
	for _, previousAdminRoleItem := range previousAdminRole {
		previousAdminRoleRule = append(previousAdminRoleRule, previousAdminRoleItem)
	}
	var newAdminRoleRule []interface{}
	for _, newAdminRoleItem := range newAdminRole {
		newAdminRoleRule = append(newAdminRoleRule, newAdminRoleItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "RoleAdminChanged", roleRule, previousAdminRoleRule, newAdminRoleRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeRoleAdminChangedIterator{contract: _ProviderStake.contract, event: "RoleAdminChanged", logs: logs, sub: sub}, nil
}

// WatchRoleAdminChanged is a free log subscription operation binding the contract event 0xbd79b86ffe0ab8e8776151514217cd7cacd52c909f66475c3af44e129f0b00ff.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (_ProviderStake *ProviderStakeFilterer) WatchRoleAdminChanged(opts *bind.WatchOpts, sink chan<- *ProviderStakeRoleAdminChanged, role [][32]byte, previousAdminRole [][32]byte, newAdminRole [][32]byte) (event.Subscription, error) {

	var roleRule []interface{}
	for _, roleItem := range role {
		roleRule = append(roleRule, roleItem)
	}
	var previousAdminRoleRule []interface{}
	for _, previousAdminRoleItem := range previousAdminRole {
		previousAdminRoleRule = append(previousAdminRoleRule, previousAdminRoleItem)
	}
	var newAdminRoleRule []interface{}
	for _, newAdminRoleItem := range newAdminRole {
		newAdminRoleRule = append(newAdminRoleRule, newAdminRoleItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "RoleAdminChanged", roleRule, previousAdminRoleRule, newAdminRoleRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeRoleAdminChanged)
				if err := _ProviderStake.contract.UnpackLog(event, "RoleAdminChanged", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseRoleAdminChanged is a log parse operation binding the contract event 0xbd79b86ffe0ab8e8776151514217cd7cacd52c909f66475c3af44e129f0b00ff.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (_ProviderStake *ProviderStakeFilterer) ParseRoleAdminChanged(log types.Log) (*ProviderStakeRoleAdminChanged, error) {
	event := new(ProviderStakeRoleAdminChanged)
	if err := _ProviderStake.contract.UnpackLog(event, "RoleAdminChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// ProviderStakeRoleGrantedIterator is returned from FilterRoleGranted and is used to iterate over the raw logs and unpacked data for RoleGranted events raised by the ProviderStake contract.
type ProviderStakeRoleGrantedIterator struct {
	Event *ProviderStakeRoleGranted // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeRoleGrantedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeRoleGranted)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeRoleGranted)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeRoleGrantedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeRoleGrantedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeRoleGranted represents a RoleGranted event raised by the ProviderStake contract.
type ProviderStakeRoleGranted struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterRoleGranted is a free log retrieval operation binding the contract event 0x2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (_ProviderStake *ProviderStakeFilterer) FilterRoleGranted(opts *bind.FilterOpts, role [][32]byte, account []common.Address, sender []common.Address) (*ProviderStakeRoleGrantedIterator, error) {

	var roleRule []interface{}
	for _, roleItem := range role {
		roleRule = append(roleRule, roleItem)
	}
	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}
	var senderRule []interface{}
	for _, senderItem := range sender {
		senderRule = append(senderRule, senderItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "RoleGranted", roleRule, accountRule, senderRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeRoleGrantedIterator{contract: _ProviderStake.contract, event: "RoleGranted", logs: logs, sub: sub}, nil
}

// WatchRoleGranted is a free log subscription operation binding the contract event 0x2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (_ProviderStake *ProviderStakeFilterer) WatchRoleGranted(opts *bind.WatchOpts, sink chan<- *ProviderStakeRoleGranted, role [][32]byte, account []common.Address, sender []common.Address) (event.Subscription, error) {

	var roleRule []interface{}
	for _, roleItem := range role {
		roleRule = append(roleRule, roleItem)
	}
	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}
	var senderRule []interface{}
	for _, senderItem := range sender {
		senderRule = append(senderRule, senderItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "RoleGranted", roleRule, accountRule, senderRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeRoleGranted)
				if err := _ProviderStake.contract.UnpackLog(event, "RoleGranted", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseRoleGranted is a log parse operation binding the contract event 0x2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (_ProviderStake *ProviderStakeFilterer) ParseRoleGranted(log types.Log) (*ProviderStakeRoleGranted, error) {
	event := new(ProviderStakeRoleGranted)
	if err := _ProviderStake.contract.UnpackLog(event, "RoleGranted", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// ProviderStakeRoleRevokedIterator is returned from FilterRoleRevoked and is used to iterate over the raw logs and unpacked data for RoleRevoked events raised by the ProviderStake contract.
type ProviderStakeRoleRevokedIterator struct {
	Event *ProviderStakeRoleRevoked // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeRoleRevokedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeRoleRevoked)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeRoleRevoked)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeRoleRevokedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeRoleRevokedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeRoleRevoked represents a RoleRevoked event raised by the ProviderStake contract.
type ProviderStakeRoleRevoked struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterRoleRevoked is a free log retrieval operation binding the contract event 0xf6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (_ProviderStake *ProviderStakeFilterer) FilterRoleRevoked(opts *bind.FilterOpts, role [][32]byte, account []common.Address, sender []common.Address) (*ProviderStakeRoleRevokedIterator, error) {

	var roleRule []interface{}
	for _, roleItem := range role {
		roleRule = append(roleRule, roleItem)
	}
	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}
	var senderRule []interface{}
	for _, senderItem := range sender {
		senderRule = append(senderRule, senderItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "RoleRevoked", roleRule, accountRule, senderRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeRoleRevokedIterator{contract: _ProviderStake.contract, event: "RoleRevoked", logs: logs, sub: sub}, nil
}

// WatchRoleRevoked is a free log subscription operation binding the contract event 0xf6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (_ProviderStake *ProviderStakeFilterer) WatchRoleRevoked(opts *bind.WatchOpts, sink chan<- *ProviderStakeRoleRevoked, role [][32]byte, account []common.Address, sender []common.Address) (event.Subscription, error) {

	var roleRule []interface{}
	for _, roleItem := range role {
		roleRule = append(roleRule, roleItem)
	}
	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}
	var senderRule []interface{}
	for _, senderItem := range sender {
		senderRule = append(senderRule, senderItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "RoleRevoked", roleRule, accountRule, senderRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeRoleRevoked)
				if err := _ProviderStake.contract.UnpackLog(event, "RoleRevoked", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseRoleRevoked is a log parse operation binding the contract event 0xf6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (_ProviderStake *ProviderStakeFilterer) ParseRoleRevoked(log types.Log) (*ProviderStakeRoleRevoked, error) {
	event := new(ProviderStakeRoleRevoked)
	if err := _ProviderStake.contract.UnpackLog(event, "RoleRevoked", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// ProviderStakeSlashedIterator is returned from FilterSlashed and is used to iterate over the raw logs and unpacked data for Slashed events raised by the ProviderStake contract.
type ProviderStakeSlashedIterator struct {
	Event *ProviderStakeSlashed // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeSlashedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeSlashed)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeSlashed)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeSlashedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeSlashedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeSlashed represents a Slashed event raised by the ProviderStake contract.
type ProviderStakeSlashed struct {
	Provider       common.Address
	Consumer       common.Address
	Amount         *big.Int
	EvidenceDigest [32]byte
	Arbiter        common.Address
	Raw            types.Log // Blockchain specific contextual infos
}

// FilterSlashed is a free log retrieval operation binding the contract event 0x0e1ad01fafecd677e04496fcde39f9f42b9c18a7220f1987edd51567aa5ed168.
//
// Solidity: event Slashed(address indexed provider, address indexed consumer, uint256 amount, bytes32 indexed evidenceDigest, address arbiter)
func (_ProviderStake *ProviderStakeFilterer) FilterSlashed(opts *bind.FilterOpts, provider []common.Address, consumer []common.Address, evidenceDigest [][32]byte) (*ProviderStakeSlashedIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var consumerRule []interface{}
	for _, consumerItem := range consumer {
		consumerRule = append(consumerRule, consumerItem)
	}

	var evidenceDigestRule []interface{}
	for _, evidenceDigestItem := range evidenceDigest {
		evidenceDigestRule = append(evidenceDigestRule, evidenceDigestItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "Slashed", providerRule, consumerRule, evidenceDigestRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeSlashedIterator{contract: _ProviderStake.contract, event: "Slashed", logs: logs, sub: sub}, nil
}

// WatchSlashed is a free log subscription operation binding the contract event 0x0e1ad01fafecd677e04496fcde39f9f42b9c18a7220f1987edd51567aa5ed168.
//
// Solidity: event Slashed(address indexed provider, address indexed consumer, uint256 amount, bytes32 indexed evidenceDigest, address arbiter)
func (_ProviderStake *ProviderStakeFilterer) WatchSlashed(opts *bind.WatchOpts, sink chan<- *ProviderStakeSlashed, provider []common.Address, consumer []common.Address, evidenceDigest [][32]byte) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var consumerRule []interface{}
	for _, consumerItem := range consumer {
		consumerRule = append(consumerRule, consumerItem)
	}

	var evidenceDigestRule []interface{}
	for _, evidenceDigestItem := range evidenceDigest {
		evidenceDigestRule = append(evidenceDigestRule, evidenceDigestItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "Slashed", providerRule, consumerRule, evidenceDigestRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeSlashed)
				if err := _ProviderStake.contract.UnpackLog(event, "Slashed", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseSlashed is a log parse operation binding the contract event 0x0e1ad01fafecd677e04496fcde39f9f42b9c18a7220f1987edd51567aa5ed168.
//
// Solidity: event Slashed(address indexed provider, address indexed consumer, uint256 amount, bytes32 indexed evidenceDigest, address arbiter)
func (_ProviderStake *ProviderStakeFilterer) ParseSlashed(log types.Log) (*ProviderStakeSlashed, error) {
	event := new(ProviderStakeSlashed)
	if err := _ProviderStake.contract.UnpackLog(event, "Slashed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// ProviderStakeStakedIterator is returned from FilterStaked and is used to iterate over the raw logs and unpacked data for Staked events raised by the ProviderStake contract.
type ProviderStakeStakedIterator struct {
	Event *ProviderStakeStaked // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeStakedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeStaked)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeStaked)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeStakedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeStakedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeStaked represents a Staked event raised by the ProviderStake contract.
type ProviderStakeStaked struct {
	Provider common.Address
	Amount   *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterStaked is a free log retrieval operation binding the contract event 0x9e71bc8eea02a63969f509818f2dafb9254532904319f9dbda79b67bd34a5f3d.
//
// Solidity: event Staked(address indexed provider, uint256 amount)
func (_ProviderStake *ProviderStakeFilterer) FilterStaked(opts *bind.FilterOpts, provider []common.Address) (*ProviderStakeStakedIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "Staked", providerRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeStakedIterator{contract: _ProviderStake.contract, event: "Staked", logs: logs, sub: sub}, nil
}

// WatchStaked is a free log subscription operation binding the contract event 0x9e71bc8eea02a63969f509818f2dafb9254532904319f9dbda79b67bd34a5f3d.
//
// Solidity: event Staked(address indexed provider, uint256 amount)
func (_ProviderStake *ProviderStakeFilterer) WatchStaked(opts *bind.WatchOpts, sink chan<- *ProviderStakeStaked, provider []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "Staked", providerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeStaked)
				if err := _ProviderStake.contract.UnpackLog(event, "Staked", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseStaked is a log parse operation binding the contract event 0x9e71bc8eea02a63969f509818f2dafb9254532904319f9dbda79b67bd34a5f3d.
//
// Solidity: event Staked(address indexed provider, uint256 amount)
func (_ProviderStake *ProviderStakeFilterer) ParseStaked(log types.Log) (*ProviderStakeStaked, error) {
	event := new(ProviderStakeStaked)
	if err := _ProviderStake.contract.UnpackLog(event, "Staked", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// ProviderStakeUnstakeRequestedIterator is returned from FilterUnstakeRequested and is used to iterate over the raw logs and unpacked data for UnstakeRequested events raised by the ProviderStake contract.
type ProviderStakeUnstakeRequestedIterator struct {
	Event *ProviderStakeUnstakeRequested // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeUnstakeRequestedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeUnstakeRequested)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeUnstakeRequested)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeUnstakeRequestedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeUnstakeRequestedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeUnstakeRequested represents a UnstakeRequested event raised by the ProviderStake contract.
type ProviderStakeUnstakeRequested struct {
	Provider    common.Address
	Amount      *big.Int
	AvailableAt uint64
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterUnstakeRequested is a free log retrieval operation binding the contract event 0x21020437c0e4b58b34bd7ac1f1cef55e7820d1bcd93824ceb273cad96eea704c.
//
// Solidity: event UnstakeRequested(address indexed provider, uint256 amount, uint64 availableAt)
func (_ProviderStake *ProviderStakeFilterer) FilterUnstakeRequested(opts *bind.FilterOpts, provider []common.Address) (*ProviderStakeUnstakeRequestedIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "UnstakeRequested", providerRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeUnstakeRequestedIterator{contract: _ProviderStake.contract, event: "UnstakeRequested", logs: logs, sub: sub}, nil
}

// WatchUnstakeRequested is a free log subscription operation binding the contract event 0x21020437c0e4b58b34bd7ac1f1cef55e7820d1bcd93824ceb273cad96eea704c.
//
// Solidity: event UnstakeRequested(address indexed provider, uint256 amount, uint64 availableAt)
func (_ProviderStake *ProviderStakeFilterer) WatchUnstakeRequested(opts *bind.WatchOpts, sink chan<- *ProviderStakeUnstakeRequested, provider []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "UnstakeRequested", providerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeUnstakeRequested)
				if err := _ProviderStake.contract.UnpackLog(event, "UnstakeRequested", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUnstakeRequested is a log parse operation binding the contract event 0x21020437c0e4b58b34bd7ac1f1cef55e7820d1bcd93824ceb273cad96eea704c.
//
// Solidity: event UnstakeRequested(address indexed provider, uint256 amount, uint64 availableAt)
func (_ProviderStake *ProviderStakeFilterer) ParseUnstakeRequested(log types.Log) (*ProviderStakeUnstakeRequested, error) {
	event := new(ProviderStakeUnstakeRequested)
	if err := _ProviderStake.contract.UnpackLog(event, "UnstakeRequested", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// ProviderStakeUnstakedIterator is returned from FilterUnstaked and is used to iterate over the raw logs and unpacked data for Unstaked events raised by the ProviderStake contract.
type ProviderStakeUnstakedIterator struct {
	Event *ProviderStakeUnstaked // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *ProviderStakeUnstakedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ProviderStakeUnstaked)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(ProviderStakeUnstaked)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *ProviderStakeUnstakedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ProviderStakeUnstakedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ProviderStakeUnstaked represents a Unstaked event raised by the ProviderStake contract.
type ProviderStakeUnstaked struct {
	Provider common.Address
	Amount   *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterUnstaked is a free log retrieval operation binding the contract event 0x0f5bb82176feb1b5e747e28471aa92156a04d9f3ab9f45f28e2d704232b93f75.
//
// Solidity: event Unstaked(address indexed provider, uint256 amount)
func (_ProviderStake *ProviderStakeFilterer) FilterUnstaked(opts *bind.FilterOpts, provider []common.Address) (*ProviderStakeUnstakedIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}

	logs, sub, err := _ProviderStake.contract.FilterLogs(opts, "Unstaked", providerRule)
	if err != nil {
		return nil, err
	}
	return &ProviderStakeUnstakedIterator{contract: _ProviderStake.contract, event: "Unstaked", logs: logs, sub: sub}, nil
}

// WatchUnstaked is a free log subscription operation binding the contract event 0x0f5bb82176feb1b5e747e28471aa92156a04d9f3ab9f45f28e2d704232b93f75.
//
// Solidity: event Unstaked(address indexed provider, uint256 amount)
func (_ProviderStake *ProviderStakeFilterer) WatchUnstaked(opts *bind.WatchOpts, sink chan<- *ProviderStakeUnstaked, provider []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}

	logs, sub, err := _ProviderStake.contract.WatchLogs(opts, "Unstaked", providerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ProviderStakeUnstaked)
				if err := _ProviderStake.contract.UnpackLog(event, "Unstaked", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUnstaked is a log parse operation binding the contract event 0x0f5bb82176feb1b5e747e28471aa92156a04d9f3ab9f45f28e2d704232b93f75.
//
// Solidity: event Unstaked(address indexed provider, uint256 amount)
func (_ProviderStake *ProviderStakeFilterer) ParseUnstaked(log types.Log) (*ProviderStakeUnstaked, error) {
	event := new(ProviderStakeUnstaked)
	if err := _ProviderStake.contract.UnpackLog(event, "Unstaked", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
