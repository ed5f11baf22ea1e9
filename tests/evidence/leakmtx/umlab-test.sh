#!/bin/sh
# timeout: 15
# Two readers: the first leaves buf_lock held, the second waits on it.
sudo insmod leakmtx.ko
cat /dev/leakmtx
cat /dev/leakmtx
