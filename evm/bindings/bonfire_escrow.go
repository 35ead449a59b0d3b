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

// BonfireEscrowSessionKey is an auto generated low-level Go binding around an user-defined struct.
type BonfireEscrowSessionKey struct {
	Cap     *big.Int
	Spent   *big.Int
	Expiry  uint64
	Revoked bool
}

// BonfireEscrowVoucher is an auto generated low-level Go binding around an user-defined struct.
type BonfireEscrowVoucher struct {
	Payer            common.Address
	Payee            common.Address
	CumulativeAmount *big.Int
}

// BonfireEscrowWithdrawal is an auto generated low-level Go binding around an user-defined struct.
type BonfireEscrowWithdrawal struct {
	Amount      *big.Int
	AvailableAt uint64
}

// BonfireEscrowMetaData contains all meta data concerning the BonfireEscrow contract.
var BonfireEscrowMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"feeBps_\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"feeRecipient_\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"withdrawDelay_\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"ExpiryInPast\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"requested\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"InvalidParameter\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"}],\"name\":\"InvalidSessionKey\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"vouchers\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"signatures\",\"type\":\"uint256\"}],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoPendingWithdrawal\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"}],\"name\":\"UnknownSessionKey\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"availableAt\",\"type\":\"uint64\"}],\"name\":\"WithdrawalNotReady\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"fee\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"claimedTotal\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint128\",\"name\":\"cap\",\"type\":\"uint128\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"SessionKeyAuthorized\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"}],\"name\":\"SessionKeyRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"enumBonfireEscrow.SkipReason\",\"name\":\"reason\",\"type\":\"uint8\"}],\"name\":\"VoucherSkipped\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"}],\"name\":\"WithdrawalCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"availableAt\",\"type\":\"uint64\"}],\"name\":\"WithdrawalRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DOMAIN_SEPARATOR\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_FEE_BPS\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"VOUCHER_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"},{\"internalType\":\"uint128\",\"name\":\"cap\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"}],\"name\":\"authorizeSessionKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"cancelWithdrawal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structBonfireEscrow.Voucher[]\",\"name\":\"vouchers\",\"type\":\"tuple[]\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"claim\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"}],\"name\":\"claimed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feeBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feeRecipient\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"}],\"name\":\"pendingWithdrawal\",\"outputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"availableAt\",\"type\":\"uint64\"}],\"internalType\":\"structBonfireEscrow.Withdrawal\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"requestWithdrawal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"}],\"name\":\"revokeSessionKey\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"key\",\"type\":\"address\"}],\"name\":\"sessionKey\",\"outputs\":[{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cap\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"spent\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"expiry\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revoked\",\"type\":\"bool\"}],\"internalType\":\"structBonfireEscrow.SessionKey\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"payer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"cumulativeAmount\",\"type\":\"uint256\"}],\"internalType\":\"structBonfireEscrow.Voucher\",\"name\":\"v\",\"type\":\"tuple\"}],\"name\":\"voucherDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"paid\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	Bin: "0x6101e0604052348015610010575f5ffd5b50604051611e8f380380611e8f83398101604081905261002f916102a5565b6040518060400160405280600d81526020016c426f6e66697265457363726f7760981b815250604051806040016040528060018152602001603160f81b81525061007e8261025160201b60201c565b6101205261008b81610251565b61014052815160208084019190912060e052815190820120610100524660a05261011760e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c05260017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00556001600160a01b038416610188576040516305519d6f60e51b81526020600482015260056024820152643a37b5b2b760d91b60448201526064015b60405180910390fd5b6103e861ffff841611156101c8576040516305519d6f60e51b815260206004820152600660248201526566656542707360d01b604482015260640161017f565b5f8361ffff161180156101e257506001600160a01b038216155b1561021f576040516305519d6f60e51b815260206004820152600c60248201526b199959549958da5c1a595b9d60a21b604482015260640161017f565b6001600160a01b039384166101605261ffff909216610180529091166101a0526001600160401b03166101c05261036d565b5f5f829050601f8151111561027b578260405163305a27a960e01b815260040161017f9190610312565b805161028682610347565b179392505050565b6001600160a01b03811681146102a2575f5ffd5b50565b5f5f5f5f608085870312156102b8575f5ffd5b84516102c38161028e565b602086015190945061ffff811681146102da575f5ffd5b60408601519093506102eb8161028e565b60608601519092506001600160401b0381168114610307575f5ffd5b939692955090935050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80516020808301519190811015610367575f198160200360031b1b821691505b50919050565b60805160a05160c05160e05161010051610120516101405161016051610180516101a0516101c051611a786104175f395f818161013001526108c901525f818161027c0152610b7901525f818161021f015261129001525f818161048b015281816106ff015281816109d201528181610b1d0152610b5701525f610ebf01525f610e9401525f610dbc01525f610d9401525f610cef01525f610d1901525f610d430152611a785ff3fe608060405234801561000f575f5ffd5b5060043610610127575f3560e01c806370a08231116100a9578063b6b55f251161006e578063b6b55f2514610444578063b916aece14610457578063d55be8c61461046a578063f737b15914610473578063fc0c546a14610486575f5ffd5b806370a08231146103b457806384b0196e146103dc57806384f4fc6a146103f757806394739e871461040a5780639ee679e814610431575f5ffd5b80633644e515116100ef5780633644e5151461025457806336bee1711461025c5780633ccfd60b1461026f57806346904840146102775780636fdc8a28146102b6575f5ffd5b80630288a39c1461012b5780630964c95b1461016f5780630c9cbf0e146101ef578063226112801461021057806324a9d8531461021a575b5f5ffd5b6101527f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160401b0390911681526020015b60405180910390f35b6101cb61017d36600461166b565b604080518082019091525f8082526020820152506001600160a01b03165f90815260056020908152604091829020825180840190935280548352600101546001600160401b03169082015290565b60408051825181526020928301516001600160401b03169281019290925201610166565b6102026101fd36600461168b565b6104ad565b604051908152602001610166565b6102186104d9565b005b6102417f000000000000000000000000000000000000000000000000000000000000000081565b60405161ffff9091168152602001610166565b61020261055e565b61020261026a3660046116bc565b61056c565b6102026105f6565b61029e7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610166565b6103606102c436600461168b565b604080516080810182525f808252602082018190529181018290526060810191909152506001600160a01b039182165f908152600460209081526040808320939094168252918252829020825160808101845281546001600160801b038082168352600160801b9091041692810192909252600101546001600160401b03811692820192909252600160401b90910460ff161515606082015290565b60405161016691905f6080820190506001600160801b0383511682526001600160801b0360208401511660208301526001600160401b03604084015116604083015260608301511515606083015292915050565b6102026103c236600461166b565b6001600160a01b03165f9081526002602052604090205490565b6103e4610776565b6040516101669796959493929190611703565b61021861040536600461166b565b6107b8565b6102027f408a0baad6f0efcd1d595658f577f99de4abed4e509400ce17a11c1ff025b2db81565b61021861043f366004611799565b610869565b610218610452366004611799565b610979565b6102026104653660046117f0565b610a48565b6102416103e881565b610218610481366004611888565b610bbd565b61029e7f000000000000000000000000000000000000000000000000000000000000000081565b6001600160a01b038083165f908152600360209081526040808320938516835292905220545b92915050565b335f908152600560205260408120600101546001600160401b0316900361051357604051639121b84f60e01b815260040160405180910390fd5b335f81815260056020526040808220828155600101805467ffffffffffffffff19169055517fc51fdb96728de385ec7859819e3997bc618362ef0dbca0ad051d856866cda3db9190a2565b5f610567610ce3565b905090565b5f6104d37f408a0baad6f0efcd1d595658f577f99de4abed4e509400ce17a11c1ff025b2db61059e602085018561166b565b6105ae604086016020870161166b565b6040805160208101949094526001600160a01b039283168482015291166060830152840135608082015260a00160405160208183030381529060405280519060200120610e0c565b5f6105ff610e38565b335f908152600560209081526040808320815180830190925280548252600101546001600160401b0316918101829052910361064e57604051639121b84f60e01b815260040160405180910390fd5b80602001516001600160401b03164210156106925760208101516040516316870e8960e31b81526001600160401b0390911660048201526024015b60405180910390fd5b335f908152600560209081526040808320838155600101805467ffffffffffffffff191690556002909152902054815181116106ce57806106d1565b81515b92506106dd83826118f8565b335f908152600260205260409020558215610726576107266001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163385610e53565b60405183815233907f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d59060200160405180910390a2505061077360015f516020611a235f395f51905f5255565b90565b5f6060805f5f5f6060610787610e8d565b61078f610eb8565b604080515f80825260208201909252600f60f81b9b939a50919850469750309650945092509050565b335f9081526004602090815260408083206001600160a01b03851684529091528120600181015490916001600160401b039091169003610816576040516323d955f160e11b81526001600160a01b0383166004820152602401610689565b60018101805468ff00000000000000001916600160401b1790556040516001600160a01b0383169033907f744157ccffbd293a2e8644928cd7d23d650f869b88f72d7bfea8041b76ca6bec905f90a35050565b805f0361088957604051631f2a200560e01b815260040160405180910390fd5b335f90815260026020526040902054808211156108c35760405163cf47918160e01b81526004810183905260248101829052604401610689565b5f6108ee7f00000000000000000000000000000000000000000000000000000000000000004261190b565b6040805180820182528581526001600160401b038381166020808401828152335f818152600584528790209551865590516001909501805467ffffffffffffffff19169590941694909417909255835188815291820152929350917fbf6730b5b5d9fd45cdb42f69910317da629fd6e12b3ab41aa1708cd916385dfc910160405180910390a2505050565b610981610e38565b805f036109a157604051631f2a200560e01b815260040160405180910390fd5b335f90815260026020526040812080548392906109bf90849061192a565b909155506109fa90506001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016333084610ee3565b60405181815233907f2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c49060200160405180910390a2610a4560015f516020611a235f395f51905f5255565b50565b5f610a51610e38565b838214610a7b576040516355c5b3e360e11b81526004810185905260248101839052604401610689565b5f805b85811015610af3575f5f610acc898985818110610a9d57610a9d61193d565b905060600201888886818110610ab557610ab561193d565b9050602002810190610ac79190611951565b610f1f565b9092509050610adb828661192a565b9450610ae7818561192a565b93505050600101610a7e565b505f610aff82846118f8565b1115610b4457610b4433610b1383856118f8565b6001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169190610e53565b8015610b9e57610b9e6001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000167f000000000000000000000000000000000000000000000000000000000000000083610e53565b50610bb560015f516020611a235f395f51905f5255565b949350505050565b6001600160a01b0383161580610bdb57506001600160a01b03831633145b15610c045760405163d3d0f65960e01b81526001600160a01b0384166004820152602401610689565b42816001600160401b031611610c3857604051637143957960e11b81526001600160401b0382166004820152602401610689565b335f8181526004602090815260408083206001600160a01b0388168085529083529281902080546fffffffffffffffffffffffffffffffff19166001600160801b03881690811782556001820180546001600160401b03891668ffffffffffffffffff19909116811790915583519182529381019390935293917f6d48ed9228532fecf537c4f0c509ac1052658cd2983aa98a646f22f38f7d76e5910160405180910390a350505050565b5f306001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016148015610d3b57507f000000000000000000000000000000000000000000000000000000000000000046145b15610d6557507f000000000000000000000000000000000000000000000000000000000000000090565b610567604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b5f6104d3610e18610ce3565b8360405161190160f01b8152600281019290925260228201526042902090565b610e40611359565b60025f516020611a235f395f51905f5255565b610e608383836001611392565b610e8857604051635274afe760e01b81526001600160a01b0384166004820152602401610689565b505050565b60606105677f00000000000000000000000000000000000000000000000000000000000000006113f4565b60606105677f00000000000000000000000000000000000000000000000000000000000000006113f4565b610ef1848484846001611431565b610f1957604051635274afe760e01b81526001600160a01b0385166004820152602401610689565b50505050565b5f8033610f32604087016020880161166b565b6001600160a01b031614610f5457610f4b85600261149e565b91509150611351565b5f600381610f65602089018961166b565b6001600160a01b03166001600160a01b031681526020019081526020015f205f876020016020810190610f98919061166b565b6001600160a01b03166001600160a01b031681526020019081526020015f2054905080866040013511610fd957610fcf865f61149e565b9250925050611351565b5f600281610fea60208a018a61166b565b6001600160a01b03166001600160a01b031681526020019081526020015f20549050805f036110295761101e87600161149e565b935093505050611351565b6110378260408901356118f8565b935080841115611045578093505b5f5f61105a6110538a61056c565b8989611513565b5090925090505f81600381111561107357611073611993565b14158061108757506001600160a01b038216155b156110a45761109789600361149e565b9550955050505050611351565b6110b160208a018a61166b565b6001600160a01b0316826001600160a01b0316146111ec575f6004816110da60208d018d61166b565b6001600160a01b03908116825260208083019390935260409182015f90812091871681529252812060018101549092506001600160401b03169003611132576111248a600361149e565b965096505050505050611351565b6001810154600160401b900460ff1615611151576111248a600461149e565b60018101546001600160401b03164210611170576111248a600561149e565b80546001600160801b0380821691611191918a91600160801b90041661192a565b11156111a2576111248a600661149e565b8054879082906010906111c6908490600160801b90046001600160801b03166119a7565b92506101000a8154816001600160801b0302191690836001600160801b03160217905550505b6111f686846118f8565b60025f61120660208d018d61166b565b6001600160a01b0316815260208101919091526040015f2055611229868561192a565b60035f61123960208d018d61166b565b6001600160a01b03166001600160a01b031681526020019081526020015f205f8b602001602081019061126c919061166b565b6001600160a01b0316815260208101919091526040015f20556127106112b661ffff7f000000000000000000000000000000000000000000000000000000000000000016886119c6565b6112c091906119dd565b94506112d260408a0160208b0161166b565b6001600160a01b03166112e860208b018b61166b565b6001600160a01b03167f5ccac6a981ee0d2404d2487672d204c80cc526da4f51e90dd5ae4cfe880a9add84898961131f828b61192a565b604080516001600160a01b039095168552602085019390935291830152606082015260800160405180910390a3505050505b935093915050565b6113725f60025f516020611a235f395f51905f5261155a565b1561139057604051633ee5aeb560e01b815260040160405180910390fd5b565b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f511483166113e85783831516156113dc573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b60605f61140083611561565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f5114831661148d578383151615611481573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f806114b0604085016020860161166b565b6001600160a01b03166114c6602086018661166b565b6001600160a01b03167f4ec72f1fe39eb4238526b5296bbb25bd9e9c18d0f732b098b171c1bf81ccfd44856040516114fe91906119fc565b60405180910390a3505f9050805b9250929050565b5f80806041849003611547578435602086013560408701355f1a61153989828585611588565b955095509550505050611551565b505f915060029050825b93509350939050565b5414919050565b5f60ff8216601f8111156104d357604051632cd44ac360e21b815260040160405180910390fd5b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08411156115c157505f91506003905082611646565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa158015611612573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b03811661163d57505f925060019150829050611646565b92505f91508190505b9450945094915050565b80356001600160a01b0381168114611666575f5ffd5b919050565b5f6020828403121561167b575f5ffd5b61168482611650565b9392505050565b5f5f6040838503121561169c575f5ffd5b6116a583611650565b91506116b360208401611650565b90509250929050565b5f60608284031280156116cd575f5ffd5b509092915050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b60ff60f81b8816815260e060208201525f61172160e08301896116d5565b828103604084015261173381896116d5565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b8181101561178857835183526020938401939092019160010161176a565b50909b9a5050505050505050505050565b5f602082840312156117a9575f5ffd5b5035919050565b5f5f83601f8401126117c0575f5ffd5b5081356001600160401b038111156117d6575f5ffd5b6020830191508360208260051b850101111561150c575f5ffd5b5f5f5f5f60408587031215611803575f5ffd5b84356001600160401b03811115611818575f5ffd5b8501601f81018713611828575f5ffd5b80356001600160401b0381111561183d575f5ffd5b876020606083028401011115611851575f5ffd5b6020918201955093508501356001600160401b03811115611870575f5ffd5b61187c878288016117b0565b95989497509550505050565b5f5f5f6060848603121561189a575f5ffd5b6118a384611650565b925060208401356001600160801b03811681146118be575f5ffd5b915060408401356001600160401b03811681146118d9575f5ffd5b809150509250925092565b634e487b7160e01b5f52601160045260245ffd5b818103818111156104d3576104d36118e4565b6001600160401b0381811683821601908111156104d3576104d36118e4565b808201808211156104d3576104d36118e4565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e19843603018112611966575f5ffd5b8301803591506001600160401b0382111561197f575f5ffd5b60200191503681900382131561150c575f5ffd5b634e487b7160e01b5f52602160045260245ffd5b6001600160801b0381811683821601908111156104d3576104d36118e4565b80820281158282048414176104d3576104d36118e4565b5f826119f757634e487b7160e01b5f52601260045260245ffd5b500490565b6020810160078310611a1c57634e487b7160e01b5f52602160045260245ffd5b9190529056fe9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00a2646970667358221220f77bb588cdd2f3a618719b5db1138655b1c59e4923902dfb92407caf3d1ec28e64736f6c63430008250033",
}

// BonfireEscrowABI is the input ABI used to generate the binding from.
// Deprecated: Use BonfireEscrowMetaData.ABI instead.
var BonfireEscrowABI = BonfireEscrowMetaData.ABI

// BonfireEscrowBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use BonfireEscrowMetaData.Bin instead.
var BonfireEscrowBin = BonfireEscrowMetaData.Bin

// DeployBonfireEscrow deploys a new Ethereum contract, binding an instance of BonfireEscrow to it.
func DeployBonfireEscrow(auth *bind.TransactOpts, backend bind.ContractBackend, token_ common.Address, feeBps_ uint16, feeRecipient_ common.Address, withdrawDelay_ uint64) (common.Address, *types.Transaction, *BonfireEscrow, error) {
	parsed, err := BonfireEscrowMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(BonfireEscrowBin), backend, token_, feeBps_, feeRecipient_, withdrawDelay_)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &BonfireEscrow{BonfireEscrowCaller: BonfireEscrowCaller{contract: contract}, BonfireEscrowTransactor: BonfireEscrowTransactor{contract: contract}, BonfireEscrowFilterer: BonfireEscrowFilterer{contract: contract}}, nil
}

// BonfireEscrow is an auto generated Go binding around an Ethereum contract.
type BonfireEscrow struct {
	BonfireEscrowCaller     // Read-only binding to the contract
	BonfireEscrowTransactor // Write-only binding to the contract
	BonfireEscrowFilterer   // Log filterer for contract events
}

// BonfireEscrowCaller is an auto generated read-only Go binding around an Ethereum contract.
type BonfireEscrowCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// BonfireEscrowTransactor is an auto generated write-only Go binding around an Ethereum contract.
type BonfireEscrowTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// BonfireEscrowFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type BonfireEscrowFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// BonfireEscrowSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type BonfireEscrowSession struct {
	Contract     *BonfireEscrow    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// BonfireEscrowCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type BonfireEscrowCallerSession struct {
	Contract *BonfireEscrowCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// BonfireEscrowTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type BonfireEscrowTransactorSession struct {
	Contract     *BonfireEscrowTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// BonfireEscrowRaw is an auto generated low-level Go binding around an Ethereum contract.
type BonfireEscrowRaw struct {
	Contract *BonfireEscrow // Generic contract binding to access the raw methods on
}

// BonfireEscrowCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type BonfireEscrowCallerRaw struct {
	Contract *BonfireEscrowCaller // Generic read-only contract binding to access the raw methods on
}

// BonfireEscrowTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type BonfireEscrowTransactorRaw struct {
	Contract *BonfireEscrowTransactor // Generic write-only contract binding to access the raw methods on
}

// NewBonfireEscrow creates a new instance of BonfireEscrow, bound to a specific deployed contract.
func NewBonfireEscrow(address common.Address, backend bind.ContractBackend) (*BonfireEscrow, error) {
	contract, err := bindBonfireEscrow(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrow{BonfireEscrowCaller: BonfireEscrowCaller{contract: contract}, BonfireEscrowTransactor: BonfireEscrowTransactor{contract: contract}, BonfireEscrowFilterer: BonfireEscrowFilterer{contract: contract}}, nil
}

// NewBonfireEscrowCaller creates a new read-only instance of BonfireEscrow, bound to a specific deployed contract.
func NewBonfireEscrowCaller(address common.Address, caller bind.ContractCaller) (*BonfireEscrowCaller, error) {
	contract, err := bindBonfireEscrow(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowCaller{contract: contract}, nil
}

// NewBonfireEscrowTransactor creates a new write-only instance of BonfireEscrow, bound to a specific deployed contract.
func NewBonfireEscrowTransactor(address common.Address, transactor bind.ContractTransactor) (*BonfireEscrowTransactor, error) {
	contract, err := bindBonfireEscrow(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowTransactor{contract: contract}, nil
}

// NewBonfireEscrowFilterer creates a new log filterer instance of BonfireEscrow, bound to a specific deployed contract.
func NewBonfireEscrowFilterer(address common.Address, filterer bind.ContractFilterer) (*BonfireEscrowFilterer, error) {
	contract, err := bindBonfireEscrow(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowFilterer{contract: contract}, nil
}

// bindBonfireEscrow binds a generic wrapper to an already deployed contract.
func bindBonfireEscrow(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := BonfireEscrowMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_BonfireEscrow *BonfireEscrowRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _BonfireEscrow.Contract.BonfireEscrowCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_BonfireEscrow *BonfireEscrowRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.BonfireEscrowTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_BonfireEscrow *BonfireEscrowRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.BonfireEscrowTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_BonfireEscrow *BonfireEscrowCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _BonfireEscrow.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_BonfireEscrow *BonfireEscrowTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_BonfireEscrow *BonfireEscrowTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.contract.Transact(opts, method, params...)
}

// DOMAINSEPARATOR is a free data retrieval call binding the contract method 0x3644e515.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowCaller) DOMAINSEPARATOR(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "DOMAIN_SEPARATOR")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// DOMAINSEPARATOR is a free data retrieval call binding the contract method 0x3644e515.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowSession) DOMAINSEPARATOR() ([32]byte, error) {
	return _BonfireEscrow.Contract.DOMAINSEPARATOR(&_BonfireEscrow.CallOpts)
}

// DOMAINSEPARATOR is a free data retrieval call binding the contract method 0x3644e515.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowCallerSession) DOMAINSEPARATOR() ([32]byte, error) {
	return _BonfireEscrow.Contract.DOMAINSEPARATOR(&_BonfireEscrow.CallOpts)
}

// MAXFEEBPS is a free data retrieval call binding the contract method 0xd55be8c6.
//
// Solidity: function MAX_FEE_BPS() view returns(uint16)
func (_BonfireEscrow *BonfireEscrowCaller) MAXFEEBPS(opts *bind.CallOpts) (uint16, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "MAX_FEE_BPS")

	if err != nil {
		return *new(uint16), err
	}

	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)

	return out0, err

}

// MAXFEEBPS is a free data retrieval call binding the contract method 0xd55be8c6.
//
// Solidity: function MAX_FEE_BPS() view returns(uint16)
func (_BonfireEscrow *BonfireEscrowSession) MAXFEEBPS() (uint16, error) {
	return _BonfireEscrow.Contract.MAXFEEBPS(&_BonfireEscrow.CallOpts)
}

// MAXFEEBPS is a free data retrieval call binding the contract method 0xd55be8c6.
//
// Solidity: function MAX_FEE_BPS() view returns(uint16)
func (_BonfireEscrow *BonfireEscrowCallerSession) MAXFEEBPS() (uint16, error) {
	return _BonfireEscrow.Contract.MAXFEEBPS(&_BonfireEscrow.CallOpts)
}

// VOUCHERTYPEHASH is a free data retrieval call binding the contract method 0x94739e87.
//
// Solidity: function VOUCHER_TYPEHASH() view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowCaller) VOUCHERTYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "VOUCHER_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// VOUCHERTYPEHASH is a free data retrieval call binding the contract method 0x94739e87.
//
// Solidity: function VOUCHER_TYPEHASH() view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowSession) VOUCHERTYPEHASH() ([32]byte, error) {
	return _BonfireEscrow.Contract.VOUCHERTYPEHASH(&_BonfireEscrow.CallOpts)
}

// VOUCHERTYPEHASH is a free data retrieval call binding the contract method 0x94739e87.
//
// Solidity: function VOUCHER_TYPEHASH() view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowCallerSession) VOUCHERTYPEHASH() ([32]byte, error) {
	return _BonfireEscrow.Contract.VOUCHERTYPEHASH(&_BonfireEscrow.CallOpts)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address payer) view returns(uint256)
func (_BonfireEscrow *BonfireEscrowCaller) BalanceOf(opts *bind.CallOpts, payer common.Address) (*big.Int, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "balanceOf", payer)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address payer) view returns(uint256)
func (_BonfireEscrow *BonfireEscrowSession) BalanceOf(payer common.Address) (*big.Int, error) {
	return _BonfireEscrow.Contract.BalanceOf(&_BonfireEscrow.CallOpts, payer)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address payer) view returns(uint256)
func (_BonfireEscrow *BonfireEscrowCallerSession) BalanceOf(payer common.Address) (*big.Int, error) {
	return _BonfireEscrow.Contract.BalanceOf(&_BonfireEscrow.CallOpts, payer)
}

// Claimed is a free data retrieval call binding the contract method 0x0c9cbf0e.
//
// Solidity: function claimed(address payer, address payee) view returns(uint256)
func (_BonfireEscrow *BonfireEscrowCaller) Claimed(opts *bind.CallOpts, payer common.Address, payee common.Address) (*big.Int, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "claimed", payer, payee)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Claimed is a free data retrieval call binding the contract method 0x0c9cbf0e.
//
// Solidity: function claimed(address payer, address payee) view returns(uint256)
func (_BonfireEscrow *BonfireEscrowSession) Claimed(payer common.Address, payee common.Address) (*big.Int, error) {
	return _BonfireEscrow.Contract.Claimed(&_BonfireEscrow.CallOpts, payer, payee)
}

// Claimed is a free data retrieval call binding the contract method 0x0c9cbf0e.
//
// Solidity: function claimed(address payer, address payee) view returns(uint256)
func (_BonfireEscrow *BonfireEscrowCallerSession) Claimed(payer common.Address, payee common.Address) (*big.Int, error) {
	return _BonfireEscrow.Contract.Claimed(&_BonfireEscrow.CallOpts, payer, payee)
}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_BonfireEscrow *BonfireEscrowCaller) Eip712Domain(opts *bind.CallOpts) (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "eip712Domain")

	outstruct := new(struct {
		Fields            [1]byte
		Name              string
		Version           string
		ChainId           *big.Int
		VerifyingContract common.Address
		Salt              [32]byte
		Extensions        []*big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = *abi.ConvertType(out[3], new(*big.Int)).(**big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)

	return *outstruct, err

}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_BonfireEscrow *BonfireEscrowSession) Eip712Domain() (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	return _BonfireEscrow.Contract.Eip712Domain(&_BonfireEscrow.CallOpts)
}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_BonfireEscrow *BonfireEscrowCallerSession) Eip712Domain() (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	return _BonfireEscrow.Contract.Eip712Domain(&_BonfireEscrow.CallOpts)
}

// FeeBps is a free data retrieval call binding the contract method 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint16)
func (_BonfireEscrow *BonfireEscrowCaller) FeeBps(opts *bind.CallOpts) (uint16, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "feeBps")

	if err != nil {
		return *new(uint16), err
	}

	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)

	return out0, err

}

// FeeBps is a free data retrieval call binding the contract method 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint16)
func (_BonfireEscrow *BonfireEscrowSession) FeeBps() (uint16, error) {
	return _BonfireEscrow.Contract.FeeBps(&_BonfireEscrow.CallOpts)
}

// FeeBps is a free data retrieval call binding the contract method 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint16)
func (_BonfireEscrow *BonfireEscrowCallerSession) FeeBps() (uint16, error) {
	return _BonfireEscrow.Contract.FeeBps(&_BonfireEscrow.CallOpts)
}

// FeeRecipient is a free data retrieval call binding the contract method 0x46904840.
//
// Solidity: function feeRecipient() view returns(address)
func (_BonfireEscrow *BonfireEscrowCaller) FeeRecipient(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "feeRecipient")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// FeeRecipient is a free data retrieval call binding the contract method 0x46904840.
//
// Solidity: function feeRecipient() view returns(address)
func (_BonfireEscrow *BonfireEscrowSession) FeeRecipient() (common.Address, error) {
	return _BonfireEscrow.Contract.FeeRecipient(&_BonfireEscrow.CallOpts)
}

// FeeRecipient is a free data retrieval call binding the contract method 0x46904840.
//
// Solidity: function feeRecipient() view returns(address)
func (_BonfireEscrow *BonfireEscrowCallerSession) FeeRecipient() (common.Address, error) {
	return _BonfireEscrow.Contract.FeeRecipient(&_BonfireEscrow.CallOpts)
}

// PendingWithdrawal is a free data retrieval call binding the contract method 0x0964c95b.
//
// Solidity: function pendingWithdrawal(address payer) view returns((uint256,uint64))
func (_BonfireEscrow *BonfireEscrowCaller) PendingWithdrawal(opts *bind.CallOpts, payer common.Address) (BonfireEscrowWithdrawal, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "pendingWithdrawal", payer)

	if err != nil {
		return *new(BonfireEscrowWithdrawal), err
	}

	out0 := *abi.ConvertType(out[0], new(BonfireEscrowWithdrawal)).(*BonfireEscrowWithdrawal)

	return out0, err

}

// PendingWithdrawal is a free data retrieval call binding the contract method 0x0964c95b.
//
// Solidity: function pendingWithdrawal(address payer) view returns((uint256,uint64))
func (_BonfireEscrow *BonfireEscrowSession) PendingWithdrawal(payer common.Address) (BonfireEscrowWithdrawal, error) {
	return _BonfireEscrow.Contract.PendingWithdrawal(&_BonfireEscrow.CallOpts, payer)
}

// PendingWithdrawal is a free data retrieval call binding the contract method 0x0964c95b.
//
// Solidity: function pendingWithdrawal(address payer) view returns((uint256,uint64))
func (_BonfireEscrow *BonfireEscrowCallerSession) PendingWithdrawal(payer common.Address) (BonfireEscrowWithdrawal, error) {
	return _BonfireEscrow.Contract.PendingWithdrawal(&_BonfireEscrow.CallOpts, payer)
}

// SessionKey is a free data retrieval call binding the contract method 0x6fdc8a28.
//
// Solidity: function sessionKey(address payer, address key) view returns((uint128,uint128,uint64,bool))
func (_BonfireEscrow *BonfireEscrowCaller) SessionKey(opts *bind.CallOpts, payer common.Address, key common.Address) (BonfireEscrowSessionKey, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "sessionKey", payer, key)

	if err != nil {
		return *new(BonfireEscrowSessionKey), err
	}

	out0 := *abi.ConvertType(out[0], new(BonfireEscrowSessionKey)).(*BonfireEscrowSessionKey)

	return out0, err

}

// SessionKey is a free data retrieval call binding the contract method 0x6fdc8a28.
//
// Solidity: function sessionKey(address payer, address key) view returns((uint128,uint128,uint64,bool))
func (_BonfireEscrow *BonfireEscrowSession) SessionKey(payer common.Address, key common.Address) (BonfireEscrowSessionKey, error) {
	return _BonfireEscrow.Contract.SessionKey(&_BonfireEscrow.CallOpts, payer, key)
}

// SessionKey is a free data retrieval call binding the contract method 0x6fdc8a28.
//
// Solidity: function sessionKey(address payer, address key) view returns((uint128,uint128,uint64,bool))
func (_BonfireEscrow *BonfireEscrowCallerSession) SessionKey(payer common.Address, key common.Address) (BonfireEscrowSessionKey, error) {
	return _BonfireEscrow.Contract.SessionKey(&_BonfireEscrow.CallOpts, payer, key)
}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_BonfireEscrow *BonfireEscrowCaller) Token(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "token")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_BonfireEscrow *BonfireEscrowSession) Token() (common.Address, error) {
	return _BonfireEscrow.Contract.Token(&_BonfireEscrow.CallOpts)
}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_BonfireEscrow *BonfireEscrowCallerSession) Token() (common.Address, error) {
	return _BonfireEscrow.Contract.Token(&_BonfireEscrow.CallOpts)
}

// VoucherDigest is a free data retrieval call binding the contract method 0x36bee171.
//
// Solidity: function voucherDigest((address,address,uint256) v) view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowCaller) VoucherDigest(opts *bind.CallOpts, v BonfireEscrowVoucher) ([32]byte, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "voucherDigest", v)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// VoucherDigest is a free data retrieval call binding the contract method 0x36bee171.
//
// Solidity: function voucherDigest((address,address,uint256) v) view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowSession) VoucherDigest(v BonfireEscrowVoucher) ([32]byte, error) {
	return _BonfireEscrow.Contract.VoucherDigest(&_BonfireEscrow.CallOpts, v)
}

// VoucherDigest is a free data retrieval call binding the contract method 0x36bee171.
//
// Solidity: function voucherDigest((address,address,uint256) v) view returns(bytes32)
func (_BonfireEscrow *BonfireEscrowCallerSession) VoucherDigest(v BonfireEscrowVoucher) ([32]byte, error) {
	return _BonfireEscrow.Contract.VoucherDigest(&_BonfireEscrow.CallOpts, v)
}

// WithdrawDelay is a free data retrieval call binding the contract method 0x0288a39c.
//
// Solidity: function withdrawDelay() view returns(uint64)
func (_BonfireEscrow *BonfireEscrowCaller) WithdrawDelay(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _BonfireEscrow.contract.Call(opts, &out, "withdrawDelay")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// WithdrawDelay is a free data retrieval call binding the contract method 0x0288a39c.
//
// Solidity: function withdrawDelay() view returns(uint64)
func (_BonfireEscrow *BonfireEscrowSession) WithdrawDelay() (uint64, error) {
	return _BonfireEscrow.Contract.WithdrawDelay(&_BonfireEscrow.CallOpts)
}

// WithdrawDelay is a free data retrieval call binding the contract method 0x0288a39c.
//
// Solidity: function withdrawDelay() view returns(uint64)
func (_BonfireEscrow *BonfireEscrowCallerSession) WithdrawDelay() (uint64, error) {
	return _BonfireEscrow.Contract.WithdrawDelay(&_BonfireEscrow.CallOpts)
}

// AuthorizeSessionKey is a paid mutator transaction binding the contract method 0xf737b159.
//
// Solidity: function authorizeSessionKey(address key, uint128 cap, uint64 expiry) returns()
func (_BonfireEscrow *BonfireEscrowTransactor) AuthorizeSessionKey(opts *bind.TransactOpts, key common.Address, cap *big.Int, expiry uint64) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "authorizeSessionKey", key, cap, expiry)
}

// AuthorizeSessionKey is a paid mutator transaction binding the contract method 0xf737b159.
//
// Solidity: function authorizeSessionKey(address key, uint128 cap, uint64 expiry) returns()
func (_BonfireEscrow *BonfireEscrowSession) AuthorizeSessionKey(key common.Address, cap *big.Int, expiry uint64) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.AuthorizeSessionKey(&_BonfireEscrow.TransactOpts, key, cap, expiry)
}

// AuthorizeSessionKey is a paid mutator transaction binding the contract method 0xf737b159.
//
// Solidity: function authorizeSessionKey(address key, uint128 cap, uint64 expiry) returns()
func (_BonfireEscrow *BonfireEscrowTransactorSession) AuthorizeSessionKey(key common.Address, cap *big.Int, expiry uint64) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.AuthorizeSessionKey(&_BonfireEscrow.TransactOpts, key, cap, expiry)
}

// CancelWithdrawal is a paid mutator transaction binding the contract method 0x22611280.
//
// Solidity: function cancelWithdrawal() returns()
func (_BonfireEscrow *BonfireEscrowTransactor) CancelWithdrawal(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "cancelWithdrawal")
}

// CancelWithdrawal is a paid mutator transaction binding the contract method 0x22611280.
//
// Solidity: function cancelWithdrawal() returns()
func (_BonfireEscrow *BonfireEscrowSession) CancelWithdrawal() (*types.Transaction, error) {
	return _BonfireEscrow.Contract.CancelWithdrawal(&_BonfireEscrow.TransactOpts)
}

// CancelWithdrawal is a paid mutator transaction binding the contract method 0x22611280.
//
// Solidity: function cancelWithdrawal() returns()
func (_BonfireEscrow *BonfireEscrowTransactorSession) CancelWithdrawal() (*types.Transaction, error) {
	return _BonfireEscrow.Contract.CancelWithdrawal(&_BonfireEscrow.TransactOpts)
}

// Claim is a paid mutator transaction binding the contract method 0xb916aece.
//
// Solidity: function claim((address,address,uint256)[] vouchers, bytes[] signatures) returns(uint256 paid)
func (_BonfireEscrow *BonfireEscrowTransactor) Claim(opts *bind.TransactOpts, vouchers []BonfireEscrowVoucher, signatures [][]byte) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "claim", vouchers, signatures)
}

// Claim is a paid mutator transaction binding the contract method 0xb916aece.
//
// Solidity: function claim((address,address,uint256)[] vouchers, bytes[] signatures) returns(uint256 paid)
func (_BonfireEscrow *BonfireEscrowSession) Claim(vouchers []BonfireEscrowVoucher, signatures [][]byte) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.Claim(&_BonfireEscrow.TransactOpts, vouchers, signatures)
}

// Claim is a paid mutator transaction binding the contract method 0xb916aece.
//
// Solidity: function claim((address,address,uint256)[] vouchers, bytes[] signatures) returns(uint256 paid)
func (_BonfireEscrow *BonfireEscrowTransactorSession) Claim(vouchers []BonfireEscrowVoucher, signatures [][]byte) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.Claim(&_BonfireEscrow.TransactOpts, vouchers, signatures)
}

// Deposit is a paid mutator transaction binding the contract method 0xb6b55f25.
//
// Solidity: function deposit(uint256 amount) returns()
func (_BonfireEscrow *BonfireEscrowTransactor) Deposit(opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "deposit", amount)
}

// Deposit is a paid mutator transaction binding the contract method 0xb6b55f25.
//
// Solidity: function deposit(uint256 amount) returns()
func (_BonfireEscrow *BonfireEscrowSession) Deposit(amount *big.Int) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.Deposit(&_BonfireEscrow.TransactOpts, amount)
}

// Deposit is a paid mutator transaction binding the contract method 0xb6b55f25.
//
// Solidity: function deposit(uint256 amount) returns()
func (_BonfireEscrow *BonfireEscrowTransactorSession) Deposit(amount *big.Int) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.Deposit(&_BonfireEscrow.TransactOpts, amount)
}

// RequestWithdrawal is a paid mutator transaction binding the contract method 0x9ee679e8.
//
// Solidity: function requestWithdrawal(uint256 amount) returns()
func (_BonfireEscrow *BonfireEscrowTransactor) RequestWithdrawal(opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "requestWithdrawal", amount)
}

// RequestWithdrawal is a paid mutator transaction binding the contract method 0x9ee679e8.
//
// Solidity: function requestWithdrawal(uint256 amount) returns()
func (_BonfireEscrow *BonfireEscrowSession) RequestWithdrawal(amount *big.Int) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.RequestWithdrawal(&_BonfireEscrow.TransactOpts, amount)
}

// RequestWithdrawal is a paid mutator transaction binding the contract method 0x9ee679e8.
//
// Solidity: function requestWithdrawal(uint256 amount) returns()
func (_BonfireEscrow *BonfireEscrowTransactorSession) RequestWithdrawal(amount *big.Int) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.RequestWithdrawal(&_BonfireEscrow.TransactOpts, amount)
}

// RevokeSessionKey is a paid mutator transaction binding the contract method 0x84f4fc6a.
//
// Solidity: function revokeSessionKey(address key) returns()
func (_BonfireEscrow *BonfireEscrowTransactor) RevokeSessionKey(opts *bind.TransactOpts, key common.Address) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "revokeSessionKey", key)
}

// RevokeSessionKey is a paid mutator transaction binding the contract method 0x84f4fc6a.
//
// Solidity: function revokeSessionKey(address key) returns()
func (_BonfireEscrow *BonfireEscrowSession) RevokeSessionKey(key common.Address) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.RevokeSessionKey(&_BonfireEscrow.TransactOpts, key)
}

// RevokeSessionKey is a paid mutator transaction binding the contract method 0x84f4fc6a.
//
// Solidity: function revokeSessionKey(address key) returns()
func (_BonfireEscrow *BonfireEscrowTransactorSession) RevokeSessionKey(key common.Address) (*types.Transaction, error) {
	return _BonfireEscrow.Contract.RevokeSessionKey(&_BonfireEscrow.TransactOpts, key)
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns(uint256 paid)
func (_BonfireEscrow *BonfireEscrowTransactor) Withdraw(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _BonfireEscrow.contract.Transact(opts, "withdraw")
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns(uint256 paid)
func (_BonfireEscrow *BonfireEscrowSession) Withdraw() (*types.Transaction, error) {
	return _BonfireEscrow.Contract.Withdraw(&_BonfireEscrow.TransactOpts)
}

// Withdraw is a paid mutator transaction binding the contract method 0x3ccfd60b.
//
// Solidity: function withdraw() returns(uint256 paid)
func (_BonfireEscrow *BonfireEscrowTransactorSession) Withdraw() (*types.Transaction, error) {
	return _BonfireEscrow.Contract.Withdraw(&_BonfireEscrow.TransactOpts)
}

// BonfireEscrowClaimedIterator is returned from FilterClaimed and is used to iterate over the raw logs and unpacked data for Claimed events raised by the BonfireEscrow contract.
type BonfireEscrowClaimedIterator struct {
	Event *BonfireEscrowClaimed // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowClaimedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowClaimed)
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
		it.Event = new(BonfireEscrowClaimed)
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
func (it *BonfireEscrowClaimedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowClaimedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowClaimed represents a Claimed event raised by the BonfireEscrow contract.
type BonfireEscrowClaimed struct {
	Payer        common.Address
	Payee        common.Address
	Signer       common.Address
	Amount       *big.Int
	Fee          *big.Int
	ClaimedTotal *big.Int
	Raw          types.Log // Blockchain specific contextual infos
}

// FilterClaimed is a free log retrieval operation binding the contract event 0x5ccac6a981ee0d2404d2487672d204c80cc526da4f51e90dd5ae4cfe880a9add.
//
// Solidity: event Claimed(address indexed payer, address indexed payee, address signer, uint256 amount, uint256 fee, uint256 claimedTotal)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterClaimed(opts *bind.FilterOpts, payer []common.Address, payee []common.Address) (*BonfireEscrowClaimedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var payeeRule []interface{}
	for _, payeeItem := range payee {
		payeeRule = append(payeeRule, payeeItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "Claimed", payerRule, payeeRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowClaimedIterator{contract: _BonfireEscrow.contract, event: "Claimed", logs: logs, sub: sub}, nil
}

// WatchClaimed is a free log subscription operation binding the contract event 0x5ccac6a981ee0d2404d2487672d204c80cc526da4f51e90dd5ae4cfe880a9add.
//
// Solidity: event Claimed(address indexed payer, address indexed payee, address signer, uint256 amount, uint256 fee, uint256 claimedTotal)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchClaimed(opts *bind.WatchOpts, sink chan<- *BonfireEscrowClaimed, payer []common.Address, payee []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var payeeRule []interface{}
	for _, payeeItem := range payee {
		payeeRule = append(payeeRule, payeeItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "Claimed", payerRule, payeeRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowClaimed)
				if err := _BonfireEscrow.contract.UnpackLog(event, "Claimed", log); err != nil {
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

// ParseClaimed is a log parse operation binding the contract event 0x5ccac6a981ee0d2404d2487672d204c80cc526da4f51e90dd5ae4cfe880a9add.
//
// Solidity: event Claimed(address indexed payer, address indexed payee, address signer, uint256 amount, uint256 fee, uint256 claimedTotal)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseClaimed(log types.Log) (*BonfireEscrowClaimed, error) {
	event := new(BonfireEscrowClaimed)
	if err := _BonfireEscrow.contract.UnpackLog(event, "Claimed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowDepositedIterator is returned from FilterDeposited and is used to iterate over the raw logs and unpacked data for Deposited events raised by the BonfireEscrow contract.
type BonfireEscrowDepositedIterator struct {
	Event *BonfireEscrowDeposited // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowDepositedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowDeposited)
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
		it.Event = new(BonfireEscrowDeposited)
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
func (it *BonfireEscrowDepositedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowDepositedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowDeposited represents a Deposited event raised by the BonfireEscrow contract.
type BonfireEscrowDeposited struct {
	Payer  common.Address
	Amount *big.Int
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterDeposited is a free log retrieval operation binding the contract event 0x2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c4.
//
// Solidity: event Deposited(address indexed payer, uint256 amount)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterDeposited(opts *bind.FilterOpts, payer []common.Address) (*BonfireEscrowDepositedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "Deposited", payerRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowDepositedIterator{contract: _BonfireEscrow.contract, event: "Deposited", logs: logs, sub: sub}, nil
}

// WatchDeposited is a free log subscription operation binding the contract event 0x2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c4.
//
// Solidity: event Deposited(address indexed payer, uint256 amount)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchDeposited(opts *bind.WatchOpts, sink chan<- *BonfireEscrowDeposited, payer []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "Deposited", payerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowDeposited)
				if err := _BonfireEscrow.contract.UnpackLog(event, "Deposited", log); err != nil {
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

// ParseDeposited is a log parse operation binding the contract event 0x2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c4.
//
// Solidity: event Deposited(address indexed payer, uint256 amount)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseDeposited(log types.Log) (*BonfireEscrowDeposited, error) {
	event := new(BonfireEscrowDeposited)
	if err := _BonfireEscrow.contract.UnpackLog(event, "Deposited", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowEIP712DomainChangedIterator is returned from FilterEIP712DomainChanged and is used to iterate over the raw logs and unpacked data for EIP712DomainChanged events raised by the BonfireEscrow contract.
type BonfireEscrowEIP712DomainChangedIterator struct {
	Event *BonfireEscrowEIP712DomainChanged // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowEIP712DomainChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowEIP712DomainChanged)
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
		it.Event = new(BonfireEscrowEIP712DomainChanged)
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
func (it *BonfireEscrowEIP712DomainChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowEIP712DomainChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowEIP712DomainChanged represents a EIP712DomainChanged event raised by the BonfireEscrow contract.
type BonfireEscrowEIP712DomainChanged struct {
	Raw types.Log // Blockchain specific contextual infos
}

// FilterEIP712DomainChanged is a free log retrieval operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_BonfireEscrow *BonfireEscrowFilterer) FilterEIP712DomainChanged(opts *bind.FilterOpts) (*BonfireEscrowEIP712DomainChangedIterator, error) {

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "EIP712DomainChanged")
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowEIP712DomainChangedIterator{contract: _BonfireEscrow.contract, event: "EIP712DomainChanged", logs: logs, sub: sub}, nil
}

// WatchEIP712DomainChanged is a free log subscription operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_BonfireEscrow *BonfireEscrowFilterer) WatchEIP712DomainChanged(opts *bind.WatchOpts, sink chan<- *BonfireEscrowEIP712DomainChanged) (event.Subscription, error) {

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "EIP712DomainChanged")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowEIP712DomainChanged)
				if err := _BonfireEscrow.contract.UnpackLog(event, "EIP712DomainChanged", log); err != nil {
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

// ParseEIP712DomainChanged is a log parse operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_BonfireEscrow *BonfireEscrowFilterer) ParseEIP712DomainChanged(log types.Log) (*BonfireEscrowEIP712DomainChanged, error) {
	event := new(BonfireEscrowEIP712DomainChanged)
	if err := _BonfireEscrow.contract.UnpackLog(event, "EIP712DomainChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowSessionKeyAuthorizedIterator is returned from FilterSessionKeyAuthorized and is used to iterate over the raw logs and unpacked data for SessionKeyAuthorized events raised by the BonfireEscrow contract.
type BonfireEscrowSessionKeyAuthorizedIterator struct {
	Event *BonfireEscrowSessionKeyAuthorized // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowSessionKeyAuthorizedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowSessionKeyAuthorized)
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
		it.Event = new(BonfireEscrowSessionKeyAuthorized)
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
func (it *BonfireEscrowSessionKeyAuthorizedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowSessionKeyAuthorizedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowSessionKeyAuthorized represents a SessionKeyAuthorized event raised by the BonfireEscrow contract.
type BonfireEscrowSessionKeyAuthorized struct {
	Payer  common.Address
	Key    common.Address
	Cap    *big.Int
	Expiry uint64
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterSessionKeyAuthorized is a free log retrieval operation binding the contract event 0x6d48ed9228532fecf537c4f0c509ac1052658cd2983aa98a646f22f38f7d76e5.
//
// Solidity: event SessionKeyAuthorized(address indexed payer, address indexed key, uint128 cap, uint64 expiry)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterSessionKeyAuthorized(opts *bind.FilterOpts, payer []common.Address, key []common.Address) (*BonfireEscrowSessionKeyAuthorizedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var keyRule []interface{}
	for _, keyItem := range key {
		keyRule = append(keyRule, keyItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "SessionKeyAuthorized", payerRule, keyRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowSessionKeyAuthorizedIterator{contract: _BonfireEscrow.contract, event: "SessionKeyAuthorized", logs: logs, sub: sub}, nil
}

// WatchSessionKeyAuthorized is a free log subscription operation binding the contract event 0x6d48ed9228532fecf537c4f0c509ac1052658cd2983aa98a646f22f38f7d76e5.
//
// Solidity: event SessionKeyAuthorized(address indexed payer, address indexed key, uint128 cap, uint64 expiry)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchSessionKeyAuthorized(opts *bind.WatchOpts, sink chan<- *BonfireEscrowSessionKeyAuthorized, payer []common.Address, key []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var keyRule []interface{}
	for _, keyItem := range key {
		keyRule = append(keyRule, keyItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "SessionKeyAuthorized", payerRule, keyRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowSessionKeyAuthorized)
				if err := _BonfireEscrow.contract.UnpackLog(event, "SessionKeyAuthorized", log); err != nil {
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

// ParseSessionKeyAuthorized is a log parse operation binding the contract event 0x6d48ed9228532fecf537c4f0c509ac1052658cd2983aa98a646f22f38f7d76e5.
//
// Solidity: event SessionKeyAuthorized(address indexed payer, address indexed key, uint128 cap, uint64 expiry)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseSessionKeyAuthorized(log types.Log) (*BonfireEscrowSessionKeyAuthorized, error) {
	event := new(BonfireEscrowSessionKeyAuthorized)
	if err := _BonfireEscrow.contract.UnpackLog(event, "SessionKeyAuthorized", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowSessionKeyRevokedIterator is returned from FilterSessionKeyRevoked and is used to iterate over the raw logs and unpacked data for SessionKeyRevoked events raised by the BonfireEscrow contract.
type BonfireEscrowSessionKeyRevokedIterator struct {
	Event *BonfireEscrowSessionKeyRevoked // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowSessionKeyRevokedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowSessionKeyRevoked)
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
		it.Event = new(BonfireEscrowSessionKeyRevoked)
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
func (it *BonfireEscrowSessionKeyRevokedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowSessionKeyRevokedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowSessionKeyRevoked represents a SessionKeyRevoked event raised by the BonfireEscrow contract.
type BonfireEscrowSessionKeyRevoked struct {
	Payer common.Address
	Key   common.Address
	Raw   types.Log // Blockchain specific contextual infos
}

// FilterSessionKeyRevoked is a free log retrieval operation binding the contract event 0x744157ccffbd293a2e8644928cd7d23d650f869b88f72d7bfea8041b76ca6bec.
//
// Solidity: event SessionKeyRevoked(address indexed payer, address indexed key)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterSessionKeyRevoked(opts *bind.FilterOpts, payer []common.Address, key []common.Address) (*BonfireEscrowSessionKeyRevokedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var keyRule []interface{}
	for _, keyItem := range key {
		keyRule = append(keyRule, keyItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "SessionKeyRevoked", payerRule, keyRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowSessionKeyRevokedIterator{contract: _BonfireEscrow.contract, event: "SessionKeyRevoked", logs: logs, sub: sub}, nil
}

// WatchSessionKeyRevoked is a free log subscription operation binding the contract event 0x744157ccffbd293a2e8644928cd7d23d650f869b88f72d7bfea8041b76ca6bec.
//
// Solidity: event SessionKeyRevoked(address indexed payer, address indexed key)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchSessionKeyRevoked(opts *bind.WatchOpts, sink chan<- *BonfireEscrowSessionKeyRevoked, payer []common.Address, key []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var keyRule []interface{}
	for _, keyItem := range key {
		keyRule = append(keyRule, keyItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "SessionKeyRevoked", payerRule, keyRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowSessionKeyRevoked)
				if err := _BonfireEscrow.contract.UnpackLog(event, "SessionKeyRevoked", log); err != nil {
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

// ParseSessionKeyRevoked is a log parse operation binding the contract event 0x744157ccffbd293a2e8644928cd7d23d650f869b88f72d7bfea8041b76ca6bec.
//
// Solidity: event SessionKeyRevoked(address indexed payer, address indexed key)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseSessionKeyRevoked(log types.Log) (*BonfireEscrowSessionKeyRevoked, error) {
	event := new(BonfireEscrowSessionKeyRevoked)
	if err := _BonfireEscrow.contract.UnpackLog(event, "SessionKeyRevoked", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowVoucherSkippedIterator is returned from FilterVoucherSkipped and is used to iterate over the raw logs and unpacked data for VoucherSkipped events raised by the BonfireEscrow contract.
type BonfireEscrowVoucherSkippedIterator struct {
	Event *BonfireEscrowVoucherSkipped // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowVoucherSkippedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowVoucherSkipped)
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
		it.Event = new(BonfireEscrowVoucherSkipped)
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
func (it *BonfireEscrowVoucherSkippedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowVoucherSkippedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowVoucherSkipped represents a VoucherSkipped event raised by the BonfireEscrow contract.
type BonfireEscrowVoucherSkipped struct {
	Payer  common.Address
	Payee  common.Address
	Reason uint8
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterVoucherSkipped is a free log retrieval operation binding the contract event 0x4ec72f1fe39eb4238526b5296bbb25bd9e9c18d0f732b098b171c1bf81ccfd44.
//
// Solidity: event VoucherSkipped(address indexed payer, address indexed payee, uint8 reason)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterVoucherSkipped(opts *bind.FilterOpts, payer []common.Address, payee []common.Address) (*BonfireEscrowVoucherSkippedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var payeeRule []interface{}
	for _, payeeItem := range payee {
		payeeRule = append(payeeRule, payeeItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "VoucherSkipped", payerRule, payeeRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowVoucherSkippedIterator{contract: _BonfireEscrow.contract, event: "VoucherSkipped", logs: logs, sub: sub}, nil
}

// WatchVoucherSkipped is a free log subscription operation binding the contract event 0x4ec72f1fe39eb4238526b5296bbb25bd9e9c18d0f732b098b171c1bf81ccfd44.
//
// Solidity: event VoucherSkipped(address indexed payer, address indexed payee, uint8 reason)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchVoucherSkipped(opts *bind.WatchOpts, sink chan<- *BonfireEscrowVoucherSkipped, payer []common.Address, payee []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}
	var payeeRule []interface{}
	for _, payeeItem := range payee {
		payeeRule = append(payeeRule, payeeItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "VoucherSkipped", payerRule, payeeRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowVoucherSkipped)
				if err := _BonfireEscrow.contract.UnpackLog(event, "VoucherSkipped", log); err != nil {
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

// ParseVoucherSkipped is a log parse operation binding the contract event 0x4ec72f1fe39eb4238526b5296bbb25bd9e9c18d0f732b098b171c1bf81ccfd44.
//
// Solidity: event VoucherSkipped(address indexed payer, address indexed payee, uint8 reason)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseVoucherSkipped(log types.Log) (*BonfireEscrowVoucherSkipped, error) {
	event := new(BonfireEscrowVoucherSkipped)
	if err := _BonfireEscrow.contract.UnpackLog(event, "VoucherSkipped", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowWithdrawalCancelledIterator is returned from FilterWithdrawalCancelled and is used to iterate over the raw logs and unpacked data for WithdrawalCancelled events raised by the BonfireEscrow contract.
type BonfireEscrowWithdrawalCancelledIterator struct {
	Event *BonfireEscrowWithdrawalCancelled // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowWithdrawalCancelledIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowWithdrawalCancelled)
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
		it.Event = new(BonfireEscrowWithdrawalCancelled)
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
func (it *BonfireEscrowWithdrawalCancelledIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowWithdrawalCancelledIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowWithdrawalCancelled represents a WithdrawalCancelled event raised by the BonfireEscrow contract.
type BonfireEscrowWithdrawalCancelled struct {
	Payer common.Address
	Raw   types.Log // Blockchain specific contextual infos
}

// FilterWithdrawalCancelled is a free log retrieval operation binding the contract event 0xc51fdb96728de385ec7859819e3997bc618362ef0dbca0ad051d856866cda3db.
//
// Solidity: event WithdrawalCancelled(address indexed payer)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterWithdrawalCancelled(opts *bind.FilterOpts, payer []common.Address) (*BonfireEscrowWithdrawalCancelledIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "WithdrawalCancelled", payerRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowWithdrawalCancelledIterator{contract: _BonfireEscrow.contract, event: "WithdrawalCancelled", logs: logs, sub: sub}, nil
}

// WatchWithdrawalCancelled is a free log subscription operation binding the contract event 0xc51fdb96728de385ec7859819e3997bc618362ef0dbca0ad051d856866cda3db.
//
// Solidity: event WithdrawalCancelled(address indexed payer)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchWithdrawalCancelled(opts *bind.WatchOpts, sink chan<- *BonfireEscrowWithdrawalCancelled, payer []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "WithdrawalCancelled", payerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowWithdrawalCancelled)
				if err := _BonfireEscrow.contract.UnpackLog(event, "WithdrawalCancelled", log); err != nil {
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

// ParseWithdrawalCancelled is a log parse operation binding the contract event 0xc51fdb96728de385ec7859819e3997bc618362ef0dbca0ad051d856866cda3db.
//
// Solidity: event WithdrawalCancelled(address indexed payer)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseWithdrawalCancelled(log types.Log) (*BonfireEscrowWithdrawalCancelled, error) {
	event := new(BonfireEscrowWithdrawalCancelled)
	if err := _BonfireEscrow.contract.UnpackLog(event, "WithdrawalCancelled", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowWithdrawalRequestedIterator is returned from FilterWithdrawalRequested and is used to iterate over the raw logs and unpacked data for WithdrawalRequested events raised by the BonfireEscrow contract.
type BonfireEscrowWithdrawalRequestedIterator struct {
	Event *BonfireEscrowWithdrawalRequested // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowWithdrawalRequestedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowWithdrawalRequested)
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
		it.Event = new(BonfireEscrowWithdrawalRequested)
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
func (it *BonfireEscrowWithdrawalRequestedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowWithdrawalRequestedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowWithdrawalRequested represents a WithdrawalRequested event raised by the BonfireEscrow contract.
type BonfireEscrowWithdrawalRequested struct {
	Payer       common.Address
	Amount      *big.Int
	AvailableAt uint64
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterWithdrawalRequested is a free log retrieval operation binding the contract event 0xbf6730b5b5d9fd45cdb42f69910317da629fd6e12b3ab41aa1708cd916385dfc.
//
// Solidity: event WithdrawalRequested(address indexed payer, uint256 amount, uint64 availableAt)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterWithdrawalRequested(opts *bind.FilterOpts, payer []common.Address) (*BonfireEscrowWithdrawalRequestedIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "WithdrawalRequested", payerRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowWithdrawalRequestedIterator{contract: _BonfireEscrow.contract, event: "WithdrawalRequested", logs: logs, sub: sub}, nil
}

// WatchWithdrawalRequested is a free log subscription operation binding the contract event 0xbf6730b5b5d9fd45cdb42f69910317da629fd6e12b3ab41aa1708cd916385dfc.
//
// Solidity: event WithdrawalRequested(address indexed payer, uint256 amount, uint64 availableAt)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchWithdrawalRequested(opts *bind.WatchOpts, sink chan<- *BonfireEscrowWithdrawalRequested, payer []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "WithdrawalRequested", payerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowWithdrawalRequested)
				if err := _BonfireEscrow.contract.UnpackLog(event, "WithdrawalRequested", log); err != nil {
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

// ParseWithdrawalRequested is a log parse operation binding the contract event 0xbf6730b5b5d9fd45cdb42f69910317da629fd6e12b3ab41aa1708cd916385dfc.
//
// Solidity: event WithdrawalRequested(address indexed payer, uint256 amount, uint64 availableAt)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseWithdrawalRequested(log types.Log) (*BonfireEscrowWithdrawalRequested, error) {
	event := new(BonfireEscrowWithdrawalRequested)
	if err := _BonfireEscrow.contract.UnpackLog(event, "WithdrawalRequested", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// BonfireEscrowWithdrawnIterator is returned from FilterWithdrawn and is used to iterate over the raw logs and unpacked data for Withdrawn events raised by the BonfireEscrow contract.
type BonfireEscrowWithdrawnIterator struct {
	Event *BonfireEscrowWithdrawn // Event containing the contract specifics and raw log

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
func (it *BonfireEscrowWithdrawnIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(BonfireEscrowWithdrawn)
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
		it.Event = new(BonfireEscrowWithdrawn)
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
func (it *BonfireEscrowWithdrawnIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *BonfireEscrowWithdrawnIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// BonfireEscrowWithdrawn represents a Withdrawn event raised by the BonfireEscrow contract.
type BonfireEscrowWithdrawn struct {
	Payer  common.Address
	Amount *big.Int
	Raw    types.Log // Blockchain specific contextual infos
}

// FilterWithdrawn is a free log retrieval operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed payer, uint256 amount)
func (_BonfireEscrow *BonfireEscrowFilterer) FilterWithdrawn(opts *bind.FilterOpts, payer []common.Address) (*BonfireEscrowWithdrawnIterator, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.FilterLogs(opts, "Withdrawn", payerRule)
	if err != nil {
		return nil, err
	}
	return &BonfireEscrowWithdrawnIterator{contract: _BonfireEscrow.contract, event: "Withdrawn", logs: logs, sub: sub}, nil
}

// WatchWithdrawn is a free log subscription operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed payer, uint256 amount)
func (_BonfireEscrow *BonfireEscrowFilterer) WatchWithdrawn(opts *bind.WatchOpts, sink chan<- *BonfireEscrowWithdrawn, payer []common.Address) (event.Subscription, error) {

	var payerRule []interface{}
	for _, payerItem := range payer {
		payerRule = append(payerRule, payerItem)
	}

	logs, sub, err := _BonfireEscrow.contract.WatchLogs(opts, "Withdrawn", payerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(BonfireEscrowWithdrawn)
				if err := _BonfireEscrow.contract.UnpackLog(event, "Withdrawn", log); err != nil {
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

// ParseWithdrawn is a log parse operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed payer, uint256 amount)
func (_BonfireEscrow *BonfireEscrowFilterer) ParseWithdrawn(log types.Log) (*BonfireEscrowWithdrawn, error) {
	event := new(BonfireEscrowWithdrawn)
	if err := _BonfireEscrow.contract.UnpackLog(event, "Withdrawn", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
