static int nested(struct folio *folio, int x)
{
	folio_lock(folio);
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
if (x) {
x++;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
	folio_unlock(folio);
	return 0;
}
