/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simrupt's own trace events, one for each stage of the data's way: the
 * top half producing a byte, the work moving bytes to the kfifo, a reader
 * taking them. In the lab:
 *   echo 1 > /sys/kernel/tracing/events/simrupt/enable
 *   cat /sys/kernel/tracing/trace
 *
 * The header is read twice: once as any header (declaring trace_simrupt_*()),
 * once more by <trace/define_trace.h> in the one file that defines
 * CREATE_TRACE_POINTS, which turns the same macros into the events.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM simrupt

#if !defined(_SIMRUPT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SIMRUPT_TRACE_H

#include <linux/tracepoint.h>

/*
 * The top half put @byte into the circular buffer at @pos (the event's
 * "head"), or dropped it. (Not "head" as an argument: with perf events,
 * the generated perf handler has a variable of that name.)
 */
TRACE_EVENT(simrupt_irq,
	TP_PROTO(u8 byte, unsigned int pos, bool dropped),
	TP_ARGS(byte, pos, dropped),
	TP_STRUCT__entry(
		__field(u8, byte)
		__field(unsigned int, head)
		__field(bool, dropped)
	),
	TP_fast_assign(
		__entry->byte = byte;
		__entry->head = pos;
		__entry->dropped = dropped;
	),
	TP_printk("byte=%u head=%u%s", __entry->byte, __entry->head,
		  __entry->dropped ? " dropped" : "")
);

/* The work moved @count bytes, @first to @last, into the kfifo. */
TRACE_EVENT(simrupt_move,
	TP_PROTO(unsigned int count, u8 first, u8 last, unsigned int queued),
	TP_ARGS(count, first, last, queued),
	TP_STRUCT__entry(
		__field(unsigned int, count)
		__field(u8, first)
		__field(u8, last)
		__field(unsigned int, queued)
	),
	TP_fast_assign(
		__entry->count = count;
		__entry->first = first;
		__entry->last = last;
		__entry->queued = queued;
	),
	TP_printk("count=%u first=%u last=%u queued=%u", __entry->count,
		  __entry->first, __entry->last, __entry->queued)
);

/* A reader asked for @want bytes and got @copied, the first being @first. */
TRACE_EVENT(simrupt_read,
	TP_PROTO(size_t want, unsigned int copied, u8 first),
	TP_ARGS(want, copied, first),
	TP_STRUCT__entry(
		__field(size_t, want)
		__field(unsigned int, copied)
		__field(u8, first)
	),
	TP_fast_assign(
		__entry->want = want;
		__entry->copied = copied;
		__entry->first = first;
	),
	TP_printk("want=%zu copied=%u first=%u", __entry->want,
		  __entry->copied, __entry->first)
);

#endif /* _SIMRUPT_TRACE_H */

/* <trace/define_trace.h> reads this file again, from this directory */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE simrupt_trace
#include <trace/define_trace.h>
