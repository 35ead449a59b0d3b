package chainwallet

import (
	"errors"

	"github.com/bonfirenet/bonfire"
)

func asError(err error, target **bonfire.Error) bool { return err != nil && errors.As(err, target) }
