#!/bin/sh
# where: guest
# A good test after the broken ones: the run goes on and reports it.
[ "$(uname -r | cut -d. -f1,2)" = 6.12 ]
