#!/bin/sh
sudo insmod badnull.ko
