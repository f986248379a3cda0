spinlock_t scan_lock;

static void scan_slot(void)
	__acquires(&scan_lock)
{
	spin_lock(&scan_lock);
}
