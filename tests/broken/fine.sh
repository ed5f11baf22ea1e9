#!/bin/sh
# where: guest
# A good test after the broken ones: the run goes on and reports it.
[ "$(uname -r)" = "$(cat "/lab/$UMLAB_BUILD/kernel/include/config/kernel.release")" ]
