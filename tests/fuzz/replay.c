/*
 * Replay a fuzz target's inputs without libFuzzer: link this main() with
 * one fuzz_NAME.c and the library, with any compiler, with or without
 * -fsanitize=address,undefined.
 *
 *	replay [-v] FILE|DIRECTORY ...
 *
 * Runs LLVMFuzzerTestOneInput once on every regular file named, and on
 * every regular file below every directory named (recursively, in name
 * order; names starting with '.' are skipped), then prints
 * "N inputs replayed".  A failing property aborts, so the exit status
 * (and the "replaying FILE" line printed first with -v, or on stderr
 * when the input makes the process die) tells which input failed.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));
/* Present when linked with a sanitizer runtime. */
void	__sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

static size_t replayed;
static int verbose;
static const char *current;

/* Name the input that is killing the process (async-signal-safe). */
static void
name_input(void)
{
	static const char msg[] = "replay: this input failed: ";

	if (current != NULL) {
		(void)!write(2, msg, sizeof(msg) - 1);
		(void)!write(2, current, strlen(current));
		(void)!write(2, "\n", 1);
	}
}

static void
on_fatal(int sig)
{
	name_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
replay_file(const char *path)
{
	struct stat sb;
	uint8_t *data;
	size_t len;
	ssize_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fstat(fileno(fp), &sb) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		fclose(fp);
		return (-1);
	}
	/* Exactly the file's bytes: ASan sees any read past the end. */
	len = (size_t)sb.st_size;
	data = malloc(len > 0 ? len : 1);
	if (data == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		fclose(fp);
		return (-1);
	}
	n = (ssize_t)fread(data, 1, len, fp);
	fclose(fp);
	if (n < 0 || (size_t)n != len) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(data);
		return (-1);
	}
	if (verbose)
		fprintf(stderr, "replaying %s (%zu bytes)\n", path, len);
	current = path;
	LLVMFuzzerTestOneInput(data, len);
	current = NULL;
	free(data);
	replayed++;
	return (0);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return (strcmp((*a)->d_name, (*b)->d_name));
}

static int
replay_path(const char *path)
{
	struct dirent **ents;
	struct stat sb;
	char *sub;
	int i, n, rc;
	size_t len;

	if (stat(path, &sb) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode))
		return (S_ISREG(sb.st_mode) ? replay_file(path) : 0);
	if ((n = scandir(path, &ents, NULL, by_name)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	rc = 0;
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && rc == 0) {
			len = strlen(path) + strlen(ents[i]->d_name) + 2;
			if ((sub = malloc(len)) == NULL)
				rc = -1;
			else {
				snprintf(sub, len, "%s/%s", path,
				    ents[i]->d_name);
				rc = replay_path(sub);
				free(sub);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return (rc);
}

int
main(int argc, char **argv)
{
	int i, rc;

	/* A failed FUZZ_CHECK aborts; sanitizers report, then die. */
	signal(SIGABRT, on_fatal);
	if (__sanitizer_set_death_callback != NULL)
		__sanitizer_set_death_callback(name_input);
	else {
		/*
		 * Without a sanitizer's allocation limit, cap the address
		 * space so an input that makes the library allocate without
		 * bound fails fast ("out of memory") instead of swapping.
		 */
		struct rlimit rl;

		if (getrlimit(RLIMIT_AS, &rl) == 0 &&
		    (rl.rlim_cur == RLIM_INFINITY ||
		    rl.rlim_cur > ((rlim_t)1 << 30))) {
			rl.rlim_cur = (rlim_t)1 << 30;
			(void)setrlimit(RLIMIT_AS, &rl);
		}
		signal(SIGSEGV, on_fatal);
		signal(SIGBUS, on_fatal);
		signal(SIGFPE, on_fatal);
	}
	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argc--;
		argv++;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: replay [-v] file | directory ...\n");
		return (2);
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	rc = 0;
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]) == -1)
			rc = 1;
	printf("%zu inputs replayed\n", replayed);
	return (rc);
}
