// SPDX-License-Identifier: GPL-2.0
/*
 * kecho - a TCP echo server in the kernel, on the guest's loopback.
 *
 * Teaches: kernel sockets (sock_create_kern, kernel_bind, kernel_listen,
 * kernel_accept, kernel_recvmsg/kernel_sendmsg), a kthread that blocks in
 * accept, one work item per connection on a workqueue of its own, and a
 * clean shutdown: the sockets are shut down so that whatever blocks on
 * them returns, then the thread and the work are waited for.
 *
 * In the lab (the loopback is up at boot):
 *   insmod /lab/build/modules/kecho/kecho.ko port=12345
 *   echo hello | nc 127.0.0.1 12345
 *   rmmod kecho
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <net/sock.h>

/* kernel_bind() takes a struct sockaddr_unsized since Linux 6.19 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define kecho_sockaddr(a) ((struct sockaddr_unsized *)(a))
#else
#define kecho_sockaddr(a) ((struct sockaddr *)(a))
#endif

static unsigned short port = 12345;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "TCP port to listen on, on every address (default 12345)");

struct kecho_conn {
	struct socket *sock;
	struct work_struct work;
	struct list_head node;	/* in kecho_conns, under kecho_lock */
};

static struct socket *kecho_listen;
static struct task_struct *kecho_thread;
static struct workqueue_struct *kecho_wq;
static LIST_HEAD(kecho_conns);
static DEFINE_MUTEX(kecho_lock);

/* Echo what the client sends until it closes its side. */
static void kecho_serve(struct work_struct *work)
{
	struct kecho_conn *conn = container_of(work, struct kecho_conn, work);
	struct msghdr msg = { };
	struct kvec vec;
	char buf[256];
	int n, sent, w;

	for (;;) {
		vec.iov_base = buf;
		vec.iov_len = sizeof(buf);
		n = kernel_recvmsg(conn->sock, &msg, &vec, 1, sizeof(buf), 0);
		if (n <= 0)
			break;
		for (sent = 0; sent < n; sent += w) {
			vec.iov_base = buf + sent;
			vec.iov_len = n - sent;
			w = kernel_sendmsg(conn->sock, &msg, &vec, 1, n - sent);
			if (w <= 0)
				goto out;
		}
	}
out:
	mutex_lock(&kecho_lock);
	list_del(&conn->node);
	mutex_unlock(&kecho_lock);
	sock_release(conn->sock);
	kfree(conn);
}

/* Accept connections until the listening socket is shut down. */
static int kecho_accept(void *unused)
{
	struct kecho_conn *conn;
	struct socket *sock;

	while (!kthread_should_stop()) {
		if (kernel_accept(kecho_listen, &sock, 0) < 0)
			break;
		conn = kzalloc(sizeof(*conn), GFP_KERNEL);
		if (!conn) {
			sock_release(sock);
			continue;
		}
		conn->sock = sock;
		INIT_WORK(&conn->work, kecho_serve);
		mutex_lock(&kecho_lock);
		list_add(&conn->node, &kecho_conns);
		mutex_unlock(&kecho_lock);
		queue_work(kecho_wq, &conn->work);
	}
	/* kthread_stop() is the only way out for a kthread it stops */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init kecho_init(void)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_ANY),
		.sin_port = htons(port),
	};
	int ret;

	kecho_wq = alloc_workqueue("kecho", WQ_UNBOUND, 0);
	if (!kecho_wq)
		return -ENOMEM;
	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &kecho_listen);
	if (ret)
		goto err_destroy_wq;
	sock_set_reuseaddr(kecho_listen->sk);
	ret = kernel_bind(kecho_listen, kecho_sockaddr(&addr), sizeof(addr));
	if (ret)
		goto err_release;
	ret = kernel_listen(kecho_listen, 8);
	if (ret)
		goto err_release;
	kecho_thread = kthread_run(kecho_accept, NULL, "kecho");
	if (IS_ERR(kecho_thread)) {
		ret = PTR_ERR(kecho_thread);
		goto err_release;
	}
	pr_info("listening on port %u\n", port);
	return 0;

err_release:
	sock_release(kecho_listen);
err_destroy_wq:
	destroy_workqueue(kecho_wq);
	return ret;
}

static void __exit kecho_exit(void)
{
	struct kecho_conn *conn;

	/* accept() and every recvmsg() return once their socket is shut down */
	kernel_sock_shutdown(kecho_listen, SHUT_RDWR);
	kthread_stop(kecho_thread);
	mutex_lock(&kecho_lock);
	list_for_each_entry(conn, &kecho_conns, node)
		kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	mutex_unlock(&kecho_lock);
	destroy_workqueue(kecho_wq);	/* waits for the connections' work */
	sock_release(kecho_listen);
	pr_info("stopped\n");
}

module_init(kecho_init);
module_exit(kecho_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("A TCP echo server in the kernel");
