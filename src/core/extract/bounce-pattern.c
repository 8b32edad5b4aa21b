/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bounce-literal.h"
#include "bounce-pattern.h"

/* -- the pattern's parts -------------------------------------------------
 *
 * The pattern is read into a flat array of parts in the order they are
 * written: a part's parts follow it, up to its end.  An alternation's parts
 * are its branches, a branch's its items, a group's one alternation.  The
 * syntax read is PCRE's (PCRE2 10.42, GLib's GRegex); what is not read
 * fails the whole reading. */

typedef enum {
  PART_ALTERNATION,  /* branches, between '|' */
  PART_BRANCH,       /* items, one after another */
  PART_GROUP,        /* its alternation next */
  PART_CHAR,         /* one character: bytes[0, len) */
  PART_CLASS,        /* [...] */
  PART_TYPE,         /* \d \w \s \h \v \R \N and their negations */
  PART_ANY,          /* . */
  PART_ASSERT,       /* ^ $ \b \B \A \z \Z \G */
  PART_ESCAPE,       /* another escape, read past: \x41 \p{L} \1 \k<n> \cX \K ... */
  PART_OPTIONS,      /* (?i) and the like */
  PART_COMMENT,      /* (?#...) */
} PartKind;

typedef enum {
  GROUP_CAPTURE,     /* (...) */
  GROUP_PLAIN,       /* (?:...) */
  GROUP_AHEAD,       /* (?=...) (?!...) */
  GROUP_BEHIND,      /* (?<=...) (?<!...) */
  GROUP_ATOMIC,      /* (?>...) */
  GROUP_RESET,       /* (?|...) */
  GROUP_NAMED,       /* (?<n>...) (?'n'...) (?P<n>...) */
  GROUP_OPTIONS,     /* (?i:...) */
} GroupKind;

#define NO_BOUND G_MAXUINT

typedef struct {
  guint8 kind;
  guint8 group;          /* PART_GROUP: its GroupKind */
  guint8 len;            /* PART_CHAR: its bytes */
  guint escaped : 1;     /* PART_CHAR: written after a backslash */
  guint quantified : 1;  /* a quantifier follows */
  guint plain : 1;       /* PART_CLASS: not negated, every member an ASCII byte */
  guint opaque : 1;      /* PART_CLASS: has a POSIX class or an escape other
                          * than a byte, a type or an assertion */
  char bytes[4];
  guint min;             /* how often the part matches (1, 1 without a quantifier) */
  guint max;             /* (NO_BOUND: no bound) */
  guint end;             /* the index past the part and all its parts */
  guint32 members[4];    /* PART_CLASS: its ASCII bytes */
} Part;

typedef struct {
  const char *p;
  const char *end;
  gboolean raw;
  gboolean failed;
  Part *parts;
  guint n_parts;
  guint size;
  guint depth;       /* groups open at ps->p */
} Parser;

/* Groups nested deeper than this are not read (the pattern then needs no
 * words, and its regex always runs): the reader recurses once per group,
 * and PCRE2 itself refuses more than 250 (its default parens_nest_limit). */
#define MAX_GROUP_DEPTH 250

#define PART(ps, i) (&(ps)->parts[(i)])

static guint
part_add (Parser   *ps,
          PartKind  kind)
{
  Part *part;

  if (ps->n_parts == ps->size)
    {
      ps->size *= 2;
      ps->parts = g_renew (Part, ps->parts, ps->size);
    }
  /* (the other fields are written by the parts that have them) */
  part = &ps->parts[ps->n_parts];
  part->kind = kind;
  part->group = 0;
  part->len = 0;
  part->escaped = part->quantified = part->plain = part->opaque = 0;
  part->min = part->max = 1;
  part->end = ++ps->n_parts;
  return ps->n_parts - 1;
}

/* Skips to past the next closer, from ps->p; fails when there is none. */
static void
skip_past (Parser *ps,
           char    closer)
{
  const char *close = memchr (ps->p, closer, ps->end - ps->p);

  if (close == NULL)
    ps->failed = TRUE;
  else
    ps->p = close + 1;
}

/* The escape at ps->p (a backslash), read into part: a character (an
 * escaped punctuation mark or space, \t \n \r \f \e \a), a type, an
 * assertion or another escape, whose argument is skipped. */
static void
read_escape (Parser *ps,
             Part   *part)
{
  char c;

  if (ps->p + 1 >= ps->end)
    {
      ps->failed = TRUE;   /* a backslash at the end */
      return;
    }
  c = ps->p[1];
  ps->p += 2;
  part->kind = PART_CHAR;
  part->escaped = TRUE;
  part->len = 1;
  if (g_ascii_ispunct (c) || c == ' ')
    {
      part->bytes[0] = c;
      return;
    }
  switch (c)
    {
    case 't': part->bytes[0] = '\t'; return;
    case 'n': part->bytes[0] = '\n'; return;
    case 'r': part->bytes[0] = '\r'; return;
    case 'f': part->bytes[0] = '\f'; return;
    case 'e': part->bytes[0] = 0x1b; return;
    case 'a': part->bytes[0] = 0x07; return;
    default:
      break;
    }
  part->len = 0;
  part->escaped = FALSE;
  part->kind = PART_ESCAPE;
  switch (c)
    {
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
    case 'h': case 'H': case 'v': case 'V': case 'R':
      part->kind = PART_TYPE;
      return;
    case 'N':
      /* (\N{U+...} is a character, not read) */
      if (ps->p < ps->end && *ps->p == '{')
        skip_past (ps, '}');
      else
        part->kind = PART_TYPE;
      return;
    case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
      part->kind = PART_ASSERT;
      return;
    case 'Q':
      ps->failed = TRUE;   /* \Q...\E quotes: not followed */
      return;
    case 'E':
      /* \E outside \Q...\E is nothing to PCRE: a quantifier after it is
       * the item's before it ("abc\E??" matches "ab"), which a part here
       * would take for its own.  Not followed (found by
       * fuzz/fuzz-pattern: "rotection\E??" was said to need all of
       * "rotection"). */
      ps->failed = TRUE;
      return;
    case 'x':
      if (ps->p < ps->end && *ps->p == '{')
        skip_past (ps, '}');
      else
        for (int n = 0; n < 2 && ps->p < ps->end && g_ascii_isxdigit (*ps->p); n++)
          ps->p++;
      return;
    case 'o':
      if (ps->p < ps->end && *ps->p == '{')
        skip_past (ps, '}');
      return;
    case 'p':
    case 'P':
      if (ps->p < ps->end && *ps->p == '{')
        skip_past (ps, '}');
      else if (ps->p < ps->end)
        ps->p++;
      return;
    case 'c':
      if (ps->p < ps->end)
        ps->p++;
      return;
    case 'g':
    case 'k':
      if (ps->p < ps->end && *ps->p == '{')
        skip_past (ps, '}');
      else if (ps->p < ps->end && *ps->p == '<')
        skip_past (ps, '>');
      else if (ps->p < ps->end && *ps->p == '\'')
        {
          ps->p++;
          skip_past (ps, '\'');
        }
      else
        while (ps->p < ps->end && (g_ascii_isdigit (*ps->p) || *ps->p == '-' || *ps->p == '+'))
          ps->p++;
      return;
    default:
      /* back-references, \K, \X ...; a character escaped whole */
      if (g_ascii_isdigit (c))
        while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
          ps->p++;
      else if ((guchar) c >= 0x80 && !ps->raw)
        while (ps->p < ps->end && ((guchar) *ps->p & 0xc0) == 0x80)
          ps->p++;
      return;
    }
}

/* One member of a class at ps->p: its byte, or -1 for a member that is no
 * byte written as one (then *opaque for one not read as a type or an
 * assertion). */
static int
read_class_member (Parser   *ps,
                   gboolean *opaque)
{
  Part member = { 0 };

  if (*ps->p != '\\')
    return (guchar) *ps->p++;
  /* (\b in a class is a backspace: read as an assertion, no byte) */
  read_escape (ps, &member);
  if (member.kind == PART_CHAR)
    return (guchar) member.bytes[0];
  if (member.kind == PART_ESCAPE)
    *opaque = TRUE;
  return -1;
}

/* The class at ps->p ('['). */
static void
read_class (Parser *ps)
{
  guint at = part_add (ps, PART_CLASS);
  guint32 members[4] = { 0 };
  gboolean plain = TRUE, opaque = FALSE;

  ps->p++;
  if (ps->p < ps->end && *ps->p == '^')
    {
      plain = FALSE;
      ps->p++;
    }
  /* (a ']' first is a member) */
  for (gboolean first = TRUE; !ps->failed && ps->p < ps->end && (*ps->p != ']' || first); first = FALSE)
    {
      int lo, hi;

      if (*ps->p == '[' && ps->p + 1 < ps->end && strchr (":.=", ps->p[1]) != NULL)
        {
          /* [:alpha:], [.x.], [=x=] */
          char closer[3] = { ps->p[1], ']', '\0' };
          const char *close = g_strstr_len (ps->p + 2, ps->end - ps->p - 2, closer);

          opaque = TRUE;
          ps->p = close != NULL ? close + 2 : ps->p + 1;
          continue;
        }
      lo = read_class_member (ps, &opaque);
      hi = lo;
      if (!ps->failed && lo >= 0 && ps->p + 1 < ps->end && *ps->p == '-' && ps->p[1] != ']')
        {
          ps->p++;
          hi = read_class_member (ps, &opaque);
        }
      if (lo < 0 || hi < 0 || lo >= 0x80 || hi >= 0x80 || hi < lo)
        plain = FALSE;
      else
        for (int c = lo; c <= hi; c++)
          members[c / 32] |= 1u << (c % 32);
    }
  if (ps->p >= ps->end)
    {
      ps->failed = TRUE;
      return;
    }
  ps->p++;
  PART (ps, at)->plain = plain;
  PART (ps, at)->opaque = opaque;
  memcpy (PART (ps, at)->members, members, sizeof members);
}

static void read_alternation (Parser *ps);

static void read_group_at (Parser *ps);

/* The group at ps->p ('('), or an option setting or a comment. */
static void
read_group (Parser *ps)
{
  if (ps->depth >= MAX_GROUP_DEPTH)
    {
      /* (as for a (*VERB): the group's part, and the reading fails) */
      part_add (ps, PART_GROUP);
      ps->p++;
      ps->failed = TRUE;
      return;
    }
  ps->depth++;
  read_group_at (ps);
  ps->depth--;
}

static void
read_group_at (Parser *ps)
{
  guint at = part_add (ps, PART_GROUP);
  GroupKind kind = GROUP_CAPTURE;

  ps->p++;
  if (ps->p < ps->end && *ps->p == '*')
    {
      ps->failed = TRUE;   /* (*VERB) */
      return;
    }
  if (ps->p < ps->end && *ps->p == '?')
    {
      const char *s = ++ps->p;
      char c = s < ps->end ? *s : '\0';
      char d = s + 1 < ps->end ? s[1] : '\0';

      if (c == '#')
        {
          PART (ps, at)->kind = PART_COMMENT;
          skip_past (ps, ')');
          return;
        }
      if (c == '=' || c == '!')
        kind = GROUP_AHEAD, ps->p++;
      else if (c == '<' && (d == '=' || d == '!'))
        kind = GROUP_BEHIND, ps->p += 2;
      else if (c == ':')
        kind = GROUP_PLAIN, ps->p++;
      else if (c == '>')
        kind = GROUP_ATOMIC, ps->p++;
      else if (c == '|')
        kind = GROUP_RESET, ps->p++;
      else if (c == '<' || (c == 'P' && d == '<'))
        kind = GROUP_NAMED, skip_past (ps, '>');
      else if (c == '\'')
        {
          kind = GROUP_NAMED;
          ps->p++;
          skip_past (ps, '\'');
        }
      else
        {
          /* option letters: (?i) sets them, (?i:...) is a group */
          for (; ps->p < ps->end && (g_ascii_isalpha (*ps->p) || *ps->p == '-' || *ps->p == '^'); ps->p++)
            if (*ps->p == 'x' || *ps->p == 'P' || *ps->p == 'R')
              ps->failed = TRUE;   /* extended syntax, named references, recursion */
          if (!ps->failed && ps->p < ps->end && *ps->p == ')')
            {
              PART (ps, at)->kind = PART_OPTIONS;
              ps->p++;
              return;
            }
          if (ps->p >= ps->end || *ps->p != ':' || ps->p == s)
            ps->failed = TRUE;   /* conditions, recursion, callouts */
          ps->p++;
          kind = GROUP_OPTIONS;
        }
      if (ps->failed)
        return;
    }
  PART (ps, at)->group = kind;
  read_alternation (ps);
  if (ps->failed || ps->p >= ps->end || *ps->p != ')')
    {
      ps->failed = TRUE;
      return;
    }
  ps->p++;
  PART (ps, at)->end = ps->n_parts;
}

/* A count at ps->p ('{'): "{n}", "{n,}", "{n,m}" as PCRE2 10.42 reads
 * them; also anything else of digits, commas and spaces ("{,m}", "{ n}"),
 * which later versions read as counts, and 10.42 as characters: *loose.
 * Reading characters as a count only forgets what they hold.  FALSE for a
 * literal '{'. */
static gboolean
read_count (Parser   *ps,
            guint    *min,
            guint    *max,
            gboolean *loose)
{
  const char *s = ps->p + 1;
  gboolean digits = FALSE, strict;
  guint n = 0, m;

  while (s < ps->end && *s == ' ')
    s++;
  for (; s < ps->end && g_ascii_isdigit (*s); s++)
    {
      n = MIN (n * 10 + (guint) (*s - '0'), 1000000u);
      digits = TRUE;
    }
  strict = digits && ps->p[1] != ' ';
  m = n;
  if (strict && s < ps->end && *s == ',')
    {
      s++;
      m = s < ps->end && g_ascii_isdigit (*s) ? 0 : NO_BOUND;
      for (; s < ps->end && g_ascii_isdigit (*s); s++)
        m = MIN (m * 10 + (guint) (*s - '0'), 1000000u);
    }
  if (!strict || s >= ps->end || *s != '}')
    {
      strict = FALSE;
      while (s < ps->end && (g_ascii_isdigit (*s) || *s == ',' || *s == ' '))
        s++;
      if (s >= ps->end || *s != '}' || (!digits && s == ps->p + 1))
        return FALSE;
    }
  ps->p = s + 1;
  *min = n;
  *max = strict ? m : NO_BOUND;
  *loose = !strict;
  return TRUE;
}

/* A quantifier at ps->p, with its lazy or possessive mark, if any. */
static gboolean
read_one_quantifier (Parser   *ps,
                     guint    *min,
                     guint    *max,
                     gboolean *loose)
{
  if (ps->p >= ps->end)
    return FALSE;
  *loose = FALSE;
  if (*ps->p == '?' || *ps->p == '*' || *ps->p == '+')
    {
      *min = *ps->p == '+' ? 1 : 0;
      *max = *ps->p == '?' ? 1 : NO_BOUND;
      ps->p++;
    }
  else if (*ps->p != '{' || !read_count (ps, min, max, loose))
    return FALSE;
  if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '+'))
    ps->p++;
  return TRUE;
}

/* The quantifier after part at, if any. */
static void
read_quantifier (Parser *ps,
                 guint   at)
{
  guint min, max;
  gboolean loose;

  /* (most items have none) */
  if (ps->p >= ps->end || (*ps->p != '?' && *ps->p != '*' && *ps->p != '+' && *ps->p != '{') ||
      !read_one_quantifier (ps, &min, &max, &loose))
    return;
  PART (ps, at)->quantified = TRUE;
  PART (ps, at)->min = min;
  PART (ps, at)->max = max;
  /* After a loose count, PCRE2 10.42 reads a quantifier as one of its
   * closing brace ("x{ 2}??", "x{,2}{3}"), whose characters were left out
   * already: nothing more is read from it. */
  while (loose && read_one_quantifier (ps, &min, &max, &loose))
    loose = TRUE;
}

/* One item at ps->p. */
static guint
read_item (Parser *ps)
{
  guint at;
  Part *part;
  const char *start;

  switch (*ps->p)
    {
    case '(':
      at = ps->n_parts;
      read_group (ps);
      return at;
    case '[':
      at = ps->n_parts;
      read_class (ps);
      return at;
    case '\\':
      at = part_add (ps, PART_ESCAPE);
      read_escape (ps, PART (ps, at));
      return at;
    case '^':
    case '$':
      ps->p++;
      return part_add (ps, PART_ASSERT);
    case '.':
      ps->p++;
      return part_add (ps, PART_ANY);
    case '*':
    case '+':
    case '?':
      ps->failed = TRUE;   /* a quantifier of nothing */
      return 0;
    default:
      break;
    }
  /* a character: a byte, or the bytes of one UTF-8 character */
  at = part_add (ps, PART_CHAR);
  part = PART (ps, at);
  start = ps->p++;
  if (!ps->raw && (guchar) *start >= 0x80)
    while (ps->p < ps->end && ((guchar) *ps->p & 0xc0) == 0x80)
      ps->p++;
  if (ps->p - start > (gssize) sizeof part->bytes)
    ps->failed = TRUE;   /* not UTF-8 */
  else
    {
      part->len = ps->p - start;
      memcpy (part->bytes, start, part->len);
    }
  return at;
}

/* Items up to '|', ')' or the end. */
static void
read_branch (Parser *ps)
{
  guint at = part_add (ps, PART_BRANCH);

  while (!ps->failed && ps->p < ps->end && *ps->p != '|' && *ps->p != ')')
    {
      guint item = read_item (ps);

      if (!ps->failed)
        read_quantifier (ps, item);
    }
  PART (ps, at)->end = ps->n_parts;
}

/* Branches separated by '|', up to ')' or the end. */
static void
read_alternation (Parser *ps)
{
  guint at = part_add (ps, PART_ALTERNATION);

  for (;;)
    {
      read_branch (ps);
      if (ps->failed || ps->p >= ps->end || *ps->p != '|')
        break;
      ps->p++;
    }
  PART (ps, at)->end = ps->n_parts;
}

/* The parts of pattern, its alternation first; NULL when it is not read
 * whole. */
static Part *
parse (const char *pattern,
       gboolean    raw)
{
  gsize len = strlen (pattern);
  /* (about one part a byte: a group's three take two bytes at least) */
  Parser ps = { pattern, pattern + len, raw, FALSE, NULL, 0, len + 8 };

  ps.parts = g_new (Part, ps.size);
  read_alternation (&ps);
  if (ps.failed || ps.p != ps.end)
    g_clear_pointer (&ps.parts, g_free);
  return ps.parts;
}

/* The next part after the one at i, and all its parts. */
#define NEXT(parts, i) ((parts)[(i)].end)

/* -- case-sensitive: strings one of which every match holds --------------
 *
 * An alternative of a case-sensitive regex is often a few letters and a
 * shape ("IB[0-9]{3}", "CX(?:BL|DNS)"): every match holds one of a few
 * strings ("IB0" ... "IB9"; "CXBL" or "CXDNS").  They are read from the
 * bytes a match consumes, never from a look-around (a look-behind may see
 * before the range searched).  They are short (a string's first bytes are
 * in the text wherever the string is) and worked out without allocating. */

#define MAX_NEEDLES    32   /* in a set: past it, a run stops growing */
#define MAX_NEEDLE_LEN 8
#define GOOD_NEEDLE    3    /* a set is worth its shortest string's length, up to this */

typedef struct {
  guint8 len;
  char s[MAX_NEEDLE_LEN];
} Needle;

typedef struct {
  guint n;            /* 0: none known */
  Needle v[MAX_NEEDLES];
} Needles;

/* (copies the strings held only, not the whole array) */
static void
needles_assign (Needles       *to,
                const Needles *from)
{
  to->n = from->n;
  memcpy (to->v, from->v, from->n * sizeof (Needle));
}

static void
needles_set_one (Needles    *set,
                 const char *s,
                 gsize       len)
{
  set->n = 1;
  set->v[0].len = MIN (len, MAX_NEEDLE_LEN);
  memcpy (set->v[0].s, s, set->v[0].len);
}

/* What a set is worth: its shortest string's length, up to GOOD_NEEDLE (0
 * for none, or with ""); between sets worth the same, the one of fewer
 * strings is better (it keeps an alternative's branches together under
 * MAX_NEEDLES). */
static guint
needles_score (const Needles *set)
{
  guint best = GOOD_NEEDLE;

  if (set->n == 0)
    return 0;
  for (guint i = 0; i < set->n; i++)
    best = MIN (best, set->v[i].len);
  return best;
}

static guint
needles_shortest (const Needles *set)
{
  guint best = MAX_NEEDLE_LEN;

  for (guint i = 0; i < set->n; i++)
    best = MIN (best, set->v[i].len);
  return best;
}

static void
needles_keep_better (Needles       *best,
                     const Needles *candidate)
{
  guint a = needles_score (best);
  guint b = needles_score (candidate);

  /* (then, of as many strings, the one whose shortest is longer) */
  if (b > a || (b == a && b > 0 && candidate->n < best->n) ||
      (b == a && b > 0 && candidate->n == best->n && needles_shortest (candidate) > needles_shortest (best)))
    needles_assign (best, candidate);
}

/* *a followed by each string of b; FALSE (a unchanged) when they would be
 * too many. */
static gboolean
needles_extend (Needles       *a,
                const Needles *b)
{
  Needles out;

  if ((gsize) a->n * b->n > MAX_NEEDLES)
    return FALSE;
  out.n = 0;
  for (guint i = 0; i < a->n; i++)
    for (guint j = 0; j < b->n; j++)
      {
        Needle *o = &out.v[out.n++];
        guint more = MIN (b->v[j].len, MAX_NEEDLE_LEN - a->v[i].len);

        *o = a->v[i];
        memcpy (o->s + o->len, b->v[j].s, more);
        o->len += more;
      }
  needles_assign (a, &out);
  return TRUE;
}

/* Adds b's strings to a (the strings of either); FALSE when too many. */
static gboolean
needles_add (Needles       *a,
             const Needles *b)
{
  if (a->n + b->n > MAX_NEEDLES)
    return FALSE;
  memcpy (&a->v[a->n], b->v, b->n * sizeof (Needle));
  a->n += b->n;
  return TRUE;
}

/* A class's characters, one string each, when it is a few ASCII
 * characters; else none. */
static void
needles_of_class (const Part *part,
                  Needles    *set)
{
  guint count = 0;

  set->n = 0;
  for (int c = 1; c < 128; c++)
    count += (part->members[c / 32] >> (c % 32)) & 1;
  if (!part->plain || (part->members[0] & 1) || count == 0 || count > 16)
    return;
  for (int c = 1; c < 128; c++)
    if ((part->members[c / 32] >> (c % 32)) & 1)
      {
        set->v[set->n].len = 1;
        set->v[set->n++].s[0] = (char) c;
      }
}

static gboolean needles_of_alternation (const Part *parts,
                                        guint       at,
                                        Needles    *exact,
                                        Needles    *need);

/* The branch at at: in *exact the strings it matches when they are few
 * (else none), in *need the best set found of strings one of which every
 * match holds (none: not known).  FALSE for a construct not read here
 * (options, back-references, named or atomic groups, POSIX classes,
 * escapes of characters by number or property). */
static gboolean
needles_of_branch (const Part *parts,
                   guint       at,
                   Needles    *exact,
                   Needles    *need)
{
  Needles run;                 /* what the branch matched since the last stop */
  gboolean whole = TRUE;       /* no stop yet: run is all it matches */

  needles_set_one (&run, "", 0);
  exact->n = need->n = 0;
  for (guint i = at + 1; i < NEXT (parts, at); i = NEXT (parts, i))
    {
      const Part *part = &parts[i];
      Needles atom;        /* the strings the item matches, when few */
      Needles atom_need;   /* one of which every match of the item holds */
      gboolean zero_width = FALSE;
      gboolean once = !part->quantified || (part->min == 1 && part->max == 1);

      atom.n = atom_need.n = 0;
      switch (part->kind)
        {
        case PART_GROUP:
          /* (a look-around is read past: nothing is taken from it) */
          zero_width = part->group == GROUP_AHEAD || part->group == GROUP_BEHIND;
          if (part->group != GROUP_CAPTURE && part->group != GROUP_PLAIN && !zero_width)
            return FALSE;
          if (!needles_of_alternation (parts, i + 1, &atom, &atom_need))
            return FALSE;
          break;
        case PART_CLASS:
          if (part->opaque)
            return FALSE;
          needles_of_class (part, &atom);
          break;
        case PART_CHAR:
          needles_set_one (&atom, part->bytes, part->len);
          break;
        case PART_ASSERT:
          zero_width = TRUE;
          break;
        case PART_TYPE:
        case PART_ANY:
          break;
        default:
          return FALSE;
        }
      if (zero_width)
        continue;   /* (the run goes on: nothing is consumed) */
      if (atom.n > 0 && part->min >= 1)
        {
          /* matched once at least: the run goes on through it (the run so
           * far a candidate too, of fewer strings), and stops after its
           * first time when it may repeat */
          if (needles_score (&run) > 0)
            needles_keep_better (need, &run);
          if (needles_extend (&run, &atom))
            {
              if (once)
                continue;
              atom.n = atom_need.n = 0;
            }
        }
      /* a stop: what the run holds is one candidate; when the item must
       * match, what it holds is another */
      whole = FALSE;
      needles_keep_better (need, &run);
      needles_set_one (&run, "", 0);
      if (part->min >= 1)
        {
          needles_keep_better (need, &atom);
          needles_keep_better (need, &atom_need);
        }
    }
  if (whole)
    needles_assign (exact, &run);
  needles_keep_better (need, &run);
  return TRUE;
}

/* The alternation at at: as needles_of_branch(), for all its branches
 * (one of each branch's strings). */
static gboolean
needles_of_alternation (const Part *parts,
                        guint       at,
                        Needles    *exact,
                        Needles    *need)
{
  gboolean exact_ok = TRUE, need_ok = TRUE;

  exact->n = need->n = 0;
  for (guint i = at + 1; i < NEXT (parts, at); i = NEXT (parts, i))
    {
      Needles e, n;

      if (!needles_of_branch (parts, i, &e, &n))
        return FALSE;
      exact_ok = exact_ok && e.n > 0 && needles_add (exact, &e);
      need_ok = need_ok && needles_score (&n) > 0 && needles_add (need, &n);
    }
  if (!exact_ok)
    exact->n = 0;
  if (!need_ok)
    need->n = 0;
  return TRUE;
}

static GPtrArray *
needles_of_pattern (const Part *parts)
{
  Needles exact, need;
  GPtrArray *out;

  if (!needles_of_alternation (parts, 0, &exact, &need))
    return NULL;
  needles_keep_better (&need, &exact);
  if (needles_score (&need) < 2)
    return NULL;
  out = g_ptr_array_new_full (need.n, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < need.n; i++)
    {
      GPtrArray *set = g_ptr_array_new_full (1, g_free);

      g_ptr_array_add (set, g_strndup (need.v[i].s, need.v[i].len));
      g_ptr_array_add (out, set);
    }
  return out;
}

/* -- caseless: the words of each way through -----------------------------
 *
 * What a pattern certainly needs, as sets of words: every match contains
 * all the words of at least one set (one set for each way through the
 * pattern's alternatives).  NULL when nothing is known: some way through
 * needs no word of MIN_WORD bytes or more.  A set is a GPtrArray of words
 * (lower case, each once); Need, of sets. */

/* Words shorter than this say too little to be worth filing. */
#define MIN_WORD 3

/* A pattern such as "(a|b) (c|d) (e|f)" multiplies out to one set of words
 * per combination; past this many sets a part's words are left out (which
 * only makes the filter let more texts through, never fewer). */
#define MAX_SETS 64

typedef GPtrArray Need;
typedef GPtrArray WordSet;

static void
need_free (Need *need)
{
  if (need != NULL)
    g_ptr_array_unref (need);
}

static WordSet *
word_set_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static void
word_set_add (WordSet    *set,
              const char *word)
{
  for (guint i = 0; i < set->len; i++)
    if (g_str_equal (set->pdata[i], word))
      return;
  g_ptr_array_add (set, g_strdup (word));
}

static Need *
need_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

static Need *
need_of_word (const char *word,
              gsize       len)
{
  Need *need = need_new ();
  WordSet *set = word_set_new ();

  g_ptr_array_add (set, g_strndup (word, len));
  g_ptr_array_add (need, set);
  return need;
}

/* Both needs at once: each set of a with each set of b.  When that makes too
 * many sets, b is left out (a holds what was read before it, usually more).
 * Takes both. */
static Need *
need_and (Need *a,
          Need *b)
{
  Need *both;

  if (a == NULL)
    return b;
  if (b == NULL)
    return a;
  if (a->len * b->len > MAX_SETS)
    {
      need_free (b);
      return a;
    }
  both = need_new ();
  for (guint i = 0; i < a->len; i++)
    for (guint j = 0; j < b->len; j++)
      {
        WordSet *x = a->pdata[i], *y = b->pdata[j];
        WordSet *set = word_set_new ();

        for (guint k = 0; k < x->len; k++)
          word_set_add (set, x->pdata[k]);
        for (guint k = 0; k < y->len; k++)
          word_set_add (set, y->pdata[k]);
        g_ptr_array_add (both, set);
      }
  need_free (a);
  need_free (b);
  return both;
}

/* Punctuation that stands for itself in a pattern, unescaped. */
#define PLAIN_PUNCTUATION "!\"%&',-/:;<=>@_~`"

/* Whether a character is one that text folded by bounce_literal_fold()
 * holds as the pattern writes it (an ASCII letter lower-cased): an ASCII
 * letter or digit, punctuation as itself or escaped ("-", "\\."), or a
 * character that has no case (Japanese; one with a case may match another
 * form that folds otherwise) and that folding keeps as it is; its bytes in
 * lit, their number in *lit_len.  Not white space: folding changes it.  Not
 * a character that folding decomposes (Unicode NFD: "デ" as "テ" and the
 * combining U+3099) nor a mark, which NFD may move or folding leave out
 * after a Latin letter (the combining grapheme joiner U+034F, of class 0,
 * too; found by fuzz/fuzz-pattern): a pattern's word holding one would not
 * be found in folded text its regex matches. */
static gboolean
word_char (const Part *part,
           char        lit[6],
           gsize      *lit_len)
{
  guchar c = (guchar) part->bytes[0];
  gunichar u;

  if (part->escaped)
    {
      lit[0] = (char) c;
      *lit_len = 1;
      return g_ascii_ispunct (c);
    }
  if (g_ascii_isalnum (c) || (c != '\0' && strchr (PLAIN_PUNCTUATION, c) != NULL))
    {
      lit[0] = g_ascii_tolower (c);
      *lit_len = 1;
      return TRUE;
    }
  if (c < 0x80)
    return FALSE;
  u = g_utf8_get_char_validated (part->bytes, part->len);
  if (u == (gunichar) -1 || u == (gunichar) -2 || g_unichar_isspace (u) || u == 0xa0 ||
      u == 0x2018 || u == 0x2019 ||   /* typographic apostrophes fold to ' */
      g_unichar_tolower (u) != u || g_unichar_toupper (u) != u || g_unichar_totitle (u) != u ||
      !g_unichar_isgraph (u) || g_unichar_combining_class (u) != 0 || g_unichar_ismark (u))
    return FALSE;
  *lit_len = g_unichar_to_utf8 (u, lit);
  {
    g_autofree char *folded = bounce_literal_fold (lit, *lit_len);

    return strlen (folded) == *lit_len && memcmp (folded, lit, *lit_len) == 0;
  }
}

static Need *words_of_alternation (const Part *parts,
                                   guint       at,
                                   GString    *run);

/* The branch at at: all the words and groups it certainly needs.  A word
 * is a run of at least MIN_WORD bytes of characters word_char() keeps:
 * "rr\\.com" needs "rr.com".  (run: empty, and left so; a group's branches
 * use it too, once the run before them has ended) */
static Need *
words_of_branch (const Part *parts,
                 guint       at,
                 GString    *run)
{
  Need *all = NULL;

#define END_RUN() G_STMT_START { \
    if (run->len >= MIN_WORD) all = need_and (all, need_of_word (run->str, run->len)); \
    g_string_truncate (run, 0); \
  } G_STMT_END

  for (guint i = at + 1; i < NEXT (parts, at); i = NEXT (parts, i))
    {
      const Part *part = &parts[i];
      char lit[6];
      gsize lit_len = 0;

      if (part->kind == PART_CHAR && word_char (part, lit, &lit_len))
        {
          /* (a character that may be left out ends the run before it;
           * one that may repeat, after its first time) */
          if ((!part->quantified || part->min >= 1) && lit_len == 1)
            g_string_append_c (run, lit[0]);   /* (inline, most of them) */
          else if (!part->quantified || part->min >= 1)
            g_string_append_len (run, lit, lit_len);
          if (part->quantified)
            END_RUN ();
          continue;
        }
      END_RUN ();
      /* (a look-around asks nothing of the match itself) */
      if (part->kind == PART_GROUP && part->group != GROUP_AHEAD && part->group != GROUP_BEHIND &&
          part->min >= 1)
        all = need_and (all, words_of_alternation (parts, i + 1, run));
    }
  END_RUN ();
#undef END_RUN
  return all;
}

/* The alternation at at: each branch must give words, and the sets of
 * any of them will do. */
static Need *
words_of_alternation (const Part *parts,
                      guint       at,
                      GString    *run)
{
  Need *any = need_new ();

  for (guint i = at + 1; i < NEXT (parts, at); i = NEXT (parts, i))
    {
      Need *one = words_of_branch (parts, i, run);

      if (one == NULL)
        {
          need_free (any);
          return NULL;
        }
      for (guint k = 0; k < one->len; k++)
        g_ptr_array_add (any, g_ptr_array_ref (one->pdata[k]));
      need_free (one);
    }
  return any;
}

GPtrArray *
bounce_pattern_required (const char         *pattern,
                         BouncePatternFlags  flags)
{
  Part *parts;
  GPtrArray *out;

  g_return_val_if_fail (pattern != NULL, NULL);

  /* (a caseless pattern is read as UTF-8: its words are characters) */
  parts = parse (pattern, (flags & (BOUNCE_PATTERN_RAW | BOUNCE_PATTERN_CASELESS)) == BOUNCE_PATTERN_RAW);
  if (parts == NULL)
    return NULL;
  if (flags & BOUNCE_PATTERN_CASELESS)
    {
      GString *run = g_string_sized_new (64);

      out = words_of_alternation (parts, 0, run);
      g_string_free (run, TRUE);
    }
  else
    out = needles_of_pattern (parts);
  g_free (parts);
  return out;
}

char *
bounce_pattern_describe (GPtrArray *sets)
{
  GString *out;

  if (sets == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < sets->len; i++)
    {
      GPtrArray *set = sets->pdata[i];

      if (i > 0)
        g_string_append_c (out, '|');
      for (guint k = 0; k < set->len; k++)
        {
          if (k > 0)
            g_string_append_c (out, '+');
          g_string_append (out, set->pdata[k]);
        }
    }
  return g_string_free (out, FALSE);
}
