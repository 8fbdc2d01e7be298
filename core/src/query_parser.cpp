#include "rights/query_parser.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include "rights/dates.h"
#include "rights/language_id.h"
#include "rights/schema.h"
#include "rights/search.h"

namespace rights {

namespace {

// Deep enough for any query a person writes, shallow enough that a hostile
// "((((((..." cannot exhaust the stack.
constexpr int kMaxNesting = 32;
constexpr Xapian::termcount kMaxWildcardExpansion = 200;
// Wildcards per query: each may expand to kMaxWildcardExpansion terms, so this bounds a
// query at 2,000 expanded terms (Elasticsearch's default clause limit is 1,024). Without
// it, a 2 kB OR of 290 two-letter wildcards expanded to ~58,000 terms and took 2.5 s of
// CPU on 10k documents with facet filters (each filtered facet runs the match again).
constexpr std::size_t kMaxWildcards = 10;
constexpr std::size_t kMinWildcardPrefixChars = 2;
// "..."~N: at most this many other words among the quoted ones. A wider window is close to
// a plain AND, at the cost of reading positions.
constexpr unsigned kMaxNearDistance = 50;

std::size_t count_code_points(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// `text` with each Unicode space separator (no-break, en/em/thin, ideographic...) replaced
// by as many ASCII spaces as it has bytes.
std::string with_ascii_spaces(std::string_view text) {
  std::string out(text);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  for (std::int32_t at = 0; at < length;) {
    const std::int32_t begin = at;
    UChar32 c = 0;
    U8_NEXT(bytes, at, length, c);
    if (c > 0x7F && (u_charType(c) == U_SPACE_SEPARATOR || c == 0x2028 || c == 0x2029)) {
      std::fill(out.begin() + begin, out.begin() + at, ' ');
    }
  }
  return out;
}


enum class LexKind { Chunk, Phrase, Field, Open, Close, And, Or, Not, End };

struct Lexeme {
  LexKind kind = LexKind::End;
  std::size_t begin = 0;       ///< byte offset of the lexeme (its sign included)
  std::size_t text_begin = 0;  ///< byte offset of `text` in the query
  std::string text;            ///< chunk, phrase content or field value
  std::string field;           ///< Field: lower-case field name
  bool quoted = false;         ///< Field: the value was written in quotes
  char sign = 0;               ///< '-', '+' or 0
  /// "..."~N: the quoted words in any order, with at most N other words among them.
  std::optional<unsigned> near_distance;
};

class Lexer {
 public:
  // `typed`: the query as the user wrote it, for the character positions in messages;
  // `text` has the same bytes with Unicode spaces made ASCII (with_ascii_spaces).
  Lexer(std::string_view text, std::string_view typed) : text_(text), typed_(typed) {}

  std::vector<Lexeme> run() {
    std::vector<Lexeme> out;
    while (true) {
      while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) break;
      out.push_back(next());
    }
    Lexeme end;
    end.begin = text_.size();
    out.push_back(end);
    return out;
  }

  [[noreturn]] static void fail(std::string_view text, std::size_t byte, const std::string& what) {
    throw UserError("bad_query", what + " (at character " +
                                     std::to_string(count_code_points(text.substr(0, byte)) + 1) +
                                     ")");
  }

 private:
  Lexeme next() {
    Lexeme lexeme;
    lexeme.begin = pos_;
    const char first = text_[pos_];
    // A sign only counts when something follows it directly ("- x" is just a dash).
    if ((first == '-' || first == '+') && pos_ + 1 < text_.size() &&
        !is_space(text_[pos_ + 1]) && text_[pos_ + 1] != ')') {
      lexeme.sign = first;
      ++pos_;
    }
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      lexeme.kind = c == '(' ? LexKind::Open : LexKind::Close;
      ++pos_;
      return lexeme;
    }
    if (c == '"') {
      lexeme.kind = LexKind::Phrase;
      read_quoted(lexeme);
      return lexeme;
    }
    const std::size_t chunk_end = find_chunk_end(pos_);
    const std::string_view chunk = text_.substr(pos_, chunk_end - pos_);
    lexeme.text_begin = pos_;
    if (lexeme.sign == 0 && (chunk == "AND" || chunk == "OR" || chunk == "NOT")) {
      lexeme.kind = chunk == "AND" ? LexKind::And : chunk == "OR" ? LexKind::Or : LexKind::Not;
      pos_ = chunk_end;
      return lexeme;
    }
    if (const auto field = known_field_name(chunk)) {
      lexeme.kind = LexKind::Field;
      lexeme.field = *field;
      pos_ += field->size() + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        read_quoted(lexeme);
      } else {
        lexeme.text_begin = pos_;
        lexeme.text = std::string(text_.substr(pos_, chunk_end - pos_));
        pos_ = chunk_end;
      }
      if (lexeme.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        fail(typed_, lexeme.begin, "field \"" + lexeme.field + ":\" has no value");
      }
      return lexeme;
    }
    lexeme.kind = LexKind::Chunk;
    lexeme.text = std::string(chunk);
    pos_ = chunk_end;
    return lexeme;
  }

  // Reads "..." starting at the opening quote at pos_.
  void read_quoted(Lexeme& lexeme) {
    const std::size_t close = text_.find('"', pos_ + 1);
    if (close == std::string_view::npos) {
      fail(typed_, pos_, "unbalanced quote: the \" is never closed");
    }
    lexeme.text_begin = pos_ + 1;
    lexeme.quoted = true;
    lexeme.text = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    if (pos_ < text_.size() && text_[pos_] == '~') read_near_distance(lexeme);
  }

  // The N of "..."~N (Lucene's and Elasticsearch's proximity syntax), at pos_ on the '~'.
  void read_near_distance(Lexeme& lexeme) {
    const std::size_t tilde = pos_;
    std::size_t end = tilde + 1;
    while (end < text_.size() && std::isdigit(static_cast<unsigned char>(text_[end])) != 0) ++end;
    const bool number_ends = end == text_.size() || is_space(text_[end]) || text_[end] == ')';
    const std::size_t digits = end - tilde - 1;
    // Two digits at most, so the number is read without overflow.
    const unsigned distance = digits == 0 || digits > 2 ? kMaxNearDistance + 1
                                                        : static_cast<unsigned>(std::stoul(std::string(text_.substr(tilde + 1, digits))));
    if (!number_ends || distance > kMaxNearDistance) {
      fail(typed_, tilde, "~ after quotes takes a number of words from 0 to " + std::to_string(kMaxNearDistance) +
                             ", as in \"torture police\"~5");
    }
    lexeme.near_distance = distance;
    pos_ = end;
  }

  std::size_t find_chunk_end(std::size_t from) const {
    std::size_t end = from;
    while (end < text_.size() && !is_space(text_[end]) && text_[end] != '(' &&
           text_[end] != ')' && text_[end] != '"') {
      ++end;
    }
    return end;
  }

  // "title:..." -> "title" when the name is a query field (or "date"); unknown names
  // ("http:", "10:30") leave the chunk as ordinary words.
  static std::optional<std::string> known_field_name(std::string_view chunk) {
    const auto colon = chunk.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const auto name = chunk.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; })) {
      return std::nullopt;
    }
    std::string lower = ascii_lowercase(name);
    if (lower == "date" || find_query_field(lower) != nullptr) return lower;
    return std::nullopt;
  }

  std::string_view text_, typed_;
  std::size_t pos_ = 0;
};

// The parse tree. Leaves carry their Xapian query; `negated` is only ever set on a child
// of an All node (AND_NOT needs a positive side to subtract from).
struct Node {
  enum class Kind { Empty, Scored, Filter, All, Any };
  Kind kind = Kind::Empty;
  Xapian::Query query;
  std::vector<Node> children;
  bool negated = false;
  // Words of a plain chunk or phrase (offsets in the query), so runs of them that name an
  // actor or ministry can also match the canonical entity (see expand_aliases).
  std::vector<Token> alias_tokens;
};

Node leaf(Node::Kind kind, Xapian::Query query) {
  Node node;
  node.kind = kind;
  node.query = std::move(query);
  return node;
}

struct Compiled {
  Xapian::Query query;
  bool empty = true;
  bool scored = false;
};

Xapian::Query combine(Xapian::Query::op op, const std::vector<Xapian::Query>& parts) {
  return Xapian::Query(op, parts.begin(), parts.end());
}

Compiled compile(const Node& node);

Compiled compile_all(const std::vector<Node>& children) {
  std::vector<Xapian::Query> scored, filters, excluded;
  for (const auto& child : children) {
    const Compiled part = compile(child);
    if (part.empty) continue;
    if (child.negated) {
      excluded.push_back(part.query);
    } else {
      (part.scored ? scored : filters).push_back(part.query);
    }
  }
  if (scored.empty() && filters.empty() && excluded.empty()) return {};
  Compiled out;
  out.empty = false;
  out.scored = !scored.empty();
  if (!scored.empty()) {
    out.query = combine(Xapian::Query::OP_AND, scored);
    // Filters restrict without adding weight: a field value is not evidence of relevance.
    if (!filters.empty()) {
      out.query = Xapian::Query(Xapian::Query::OP_FILTER, out.query,
                                combine(Xapian::Query::OP_AND, filters));
    }
  } else if (!filters.empty()) {
    out.query = combine(Xapian::Query::OP_AND, filters);
  } else {
    out.query = match_all();  // only negations: everything except them
  }
  if (!excluded.empty()) {
    out.query = Xapian::Query(Xapian::Query::OP_AND_NOT, out.query,
                              combine(Xapian::Query::OP_OR, excluded));
  }
  return out;
}

Compiled compile_any(const std::vector<Node>& children) {
  std::vector<Compiled> parts;
  for (const auto& child : children) {
    Compiled part = compile(child);
    if (!part.empty) parts.push_back(std::move(part));
  }
  if (parts.empty()) return {};
  if (parts.size() == 1) return parts.front();
  Compiled out;
  out.empty = false;
  std::vector<Xapian::Query> queries;
  for (const auto& part : parts) {
    out.scored = out.scored || part.scored;
    // Inside OR a filter cannot be an OP_FILTER; scaling by 0 keeps it weightless.
    queries.push_back(part.scored ? part.query
                                  : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, part.query, 0));
  }
  out.query = combine(Xapian::Query::OP_OR, queries);
  return out;
}

Compiled compile(const Node& node) {
  switch (node.kind) {
    case Node::Kind::Empty: return {};
    case Node::Kind::Scored: return {node.query, false, true};
    case Node::Kind::Filter: return {node.query, false, false};
    case Node::Kind::All: return compile_all(node.children);
    case Node::Kind::Any: return compile_any(node.children);
  }
  return {};
}

PartialDate parse_date_or_throw(std::string_view text) {
  const auto date = parse_iso_date(text);
  if (!date) {
    throw UserError("bad_date", "\"" + std::string(text) +
                                    "\" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD");
  }
  return *date;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view typed, const QueryContext& context)
      : text_(text), typed_(typed), context_(context), lexemes_(Lexer(text, typed).run()) {}

  ParsedQuery run() {
    ParsedQuery result;
    Node root;
    if (peek().kind != LexKind::End) root = parse_or(false, 0);
    if (peek().kind == LexKind::Close) {
      fail(peek(), "unbalanced parenthesis: this ')' has no matching '('");
    }
    const Compiled compiled = compile(root);
    if (compiled.empty && !lexemes_.empty() && lexemes_.front().kind != LexKind::End) {
      // "!!!", "—", "\"\"" or an emoji: nothing to search for. Matching everything, as an
      // empty query does, would tell a script counting hits that each such term is in
      // every document.
      throw UserError("bad_query", "the query has no words to search for (only punctuation or symbols); "
                                   "an empty query lists every document");
    }
    if (compiled.empty) {
      result.query = match_all();
    } else if (compiled.scored) {
      result.query = compiled.query;
    } else {
      result.query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, compiled.query, 0);
    }
    result.has_scoring_terms = !compiled.empty && compiled.scored;
    result.plain_words = std::move(plain_words_);
    result.highlight = std::move(highlight_);
    result.highlight.stem_languages = context_.stem_languages;
    return result;
  }

 private:
  const Lexeme& peek() const { return lexemes_[next_]; }
  const Lexeme& take() { return lexemes_[next_ < lexemes_.size() - 1 ? next_++ : next_]; }

  [[noreturn]] void fail(const Lexeme& at, const std::string& what) const {
    Lexer::fail(typed_, at.begin, what);
  }

  static bool starts_operand(LexKind kind) {
    return kind == LexKind::Chunk || kind == LexKind::Phrase || kind == LexKind::Field ||
           kind == LexKind::Open || kind == LexKind::Not;
  }

  static const char* operator_name(LexKind kind) {
    return kind == LexKind::And ? "AND" : kind == LexKind::Or ? "OR" : "NOT";
  }

  void require_right_operand(const Lexeme& op) const {
    if (!starts_operand(peek().kind)) {
      fail(op, std::string(operator_name(op.kind)) + " has nothing after it");
    }
  }

  Node parse_or(bool negated, int depth) {
    Node any;
    any.kind = Node::Kind::Any;
    any.children.push_back(parse_and(negated, depth));
    while (peek().kind == LexKind::Or) {
      const Lexeme& op = take();
      require_right_operand(op);
      any.children.push_back(parse_and(negated, depth));
    }
    if (any.children.size() == 1) return std::move(any.children.front());
    return any;
  }

  Node parse_and(bool negated, int depth) {
    if (peek().kind == LexKind::And || peek().kind == LexKind::Or) {
      fail(peek(), std::string(operator_name(peek().kind)) + " has nothing before it");
    }
    Node all;
    all.kind = Node::Kind::All;
    all.children.push_back(parse_unary(negated, depth));
    while (true) {
      if (peek().kind == LexKind::And) {
        const Lexeme& op = take();
        require_right_operand(op);
        all.children.push_back(parse_unary(negated, depth));
      } else if (starts_operand(peek().kind)) {
        all.children.push_back(parse_unary(negated, depth));  // default operator: AND
      } else {
        break;
      }
    }
    expand_aliases(all.children);
    return all;
  }

  // Words that name an actor or ministry ("Keut Rith", "ស ខេង", "interior ministry") also
  // match documents tagged with the canonical entity, whichever alias those documents
  // use: the run of words becomes (words OR entity-term). The entity term is weightless,
  // so documents that contain the words themselves still rank first.
  // A negated chunk or phrase is a run of its own, so that NOT "Koeut Rith" excludes
  // what "Koeut Rith" finds ("-Keut -Rith" stays two separate exclusions).
  void expand_aliases(std::vector<Node>& children) {
    if (context_.authority == nullptr) return;
    for (std::size_t run_start = 0; run_start < children.size();) {
      std::size_t run_end = run_start;
      std::vector<Token> tokens;
      std::vector<std::size_t> owner;  // child index of each token
      const bool negated_run = children[run_start].negated;
      while (run_end < children.size() && children[run_end].negated == negated_run &&
             !children[run_end].alias_tokens.empty() && (!negated_run || run_end == run_start)) {
        for (const auto& token : children[run_end].alias_tokens) {
          tokens.push_back(token);
          owner.push_back(run_end);
        }
        ++run_end;
      }
      if (run_end == run_start) {
        ++run_start;
        continue;
      }
      std::vector<Node> rebuilt;
      std::size_t next_child = run_start;
      std::size_t token_index = 0;
      for (const auto& mention : context_.authority->find_mentions(tokens)) {
        while (token_index < tokens.size() && tokens[token_index].begin < mention.begin) ++token_index;
        std::size_t last = token_index;
        while (last + 1 < tokens.size() && tokens[last].end < mention.end) ++last;
        const std::size_t first_child = owner[token_index], last_child = owner[last];
        // Only whole chunks: a mention ending inside a multi-word chunk is left alone.
        const bool whole = (token_index == 0 || owner[token_index - 1] != first_child) &&
                           (last + 1 == tokens.size() || owner[last + 1] != last_child);
        if (!whole || first_child < next_child) continue;
        for (; next_child < first_child; ++next_child) rebuilt.push_back(std::move(children[next_child]));
        Node words;
        words.kind = Node::Kind::All;
        for (; next_child <= last_child; ++next_child) {
          words.children.push_back(std::move(children[next_child]));
          words.children.back().negated = false;  // the whole (words OR entity) is negated
        }
        const char* entity_prefix =
            mention.entry->kind == EntityKind::Actor ? prefix::kActor : prefix::kMinistry;
        Node either;
        either.kind = Node::Kind::Any;
        either.negated = negated_run;
        either.children.push_back(std::move(words));
        either.children.push_back(leaf(Node::Kind::Filter, Xapian::Query(entity_prefix + mention.entry->id)));
        rebuilt.push_back(std::move(either));
        if (!negated_run) remember_entity_names(*mention.entry);
      }
      if (!rebuilt.empty()) {
        for (; next_child < run_end; ++next_child) rebuilt.push_back(std::move(children[next_child]));
        const auto inserted = rebuilt.size();
        children.erase(children.begin() + static_cast<std::ptrdiff_t>(run_start),
                       children.begin() + static_cast<std::ptrdiff_t>(run_end));
        children.insert(children.begin() + static_cast<std::ptrdiff_t>(run_start),
                        std::make_move_iterator(rebuilt.begin()), std::make_move_iterator(rebuilt.end()));
        run_end = run_start + inserted;
      }
      run_start = run_end;
    }
  }

  // The tokens of `lexeme` with offsets in the whole query (unique across chunks).
  static std::vector<Token> query_tokens(const std::vector<Token>& tokens, const Lexeme& lexeme) {
    std::vector<Token> shifted = tokens;
    for (auto& token : shifted) {
      token.begin += lexeme.text_begin;
      token.end += lexeme.text_begin;
    }
    return shifted;
  }

  Node parse_unary(bool negated, int depth) {
    if (peek().kind == LexKind::Not) {
      const Lexeme& op = take();
      require_right_operand(op);
      Node node = parse_unary(!negated, depth);
      node.negated = !node.negated;
      return node;
    }
    const Lexeme& lexeme = take();
    const bool minus = lexeme.sign == '-';
    const bool inner_negated = negated != minus;
    Node node;
    switch (lexeme.kind) {
      case LexKind::Open:
        if (depth >= kMaxNesting) fail(lexeme, "parentheses nested too deeply");
        if (peek().kind == LexKind::Close) fail(lexeme, "empty parentheses");
        node = parse_or(inner_negated, depth + 1);
        if (peek().kind != LexKind::Close) {
          fail(lexeme, "unbalanced parenthesis: this '(' is never closed");
        }
        take();
        break;
      case LexKind::Chunk: node = chunk_node(lexeme, inner_negated); break;
      case LexKind::Phrase: node = phrase_node(lexeme, inner_negated); break;
      case LexKind::Field: node = field_node(lexeme, inner_negated); break;
      case LexKind::Close: fail(lexeme, "unbalanced parenthesis: this ')' has no matching '('");
      default: fail(lexeme, "unexpected end of query");
    }
    node.negated = minus;
    return node;
  }

  // Every name of an entity the query found (an alias typed, "ស ខេង", or an actor:
  // filter), so that snippets and the document view mark the spelling each document uses
  // ("Sar Kheng"), each name as one phrase.
  void remember_entity_names(const AuthorityEntry& entry) {
    std::vector<std::string> names = entry.aliases;
    names.push_back(entry.name);
    for (const auto& name : names) {
      std::vector<std::string> terms;
      for (auto& token : context_.analyzer.tokenize(name)) terms.push_back(std::move(token.term));
      if (!terms.empty()) highlight_.names.push_back(std::move(terms));
    }
  }

  // `adjacent`: the words were searched as a phrase, so they are marked only where they
  // stand together; otherwise (one word, or "..."~N) each wherever it stands.
  void remember_words(const std::vector<Token>& tokens, bool negated, bool adjacent) {
    if (negated) return;
    if (adjacent && tokens.size() > 1) {
      std::vector<std::string> phrase;
      for (const auto& token : tokens) phrase.push_back(token.term);
      highlight_.phrases.push_back(std::move(phrase));
      return;
    }
    for (const auto& token : tokens) highlight_.words.push_back(token.term);
  }

  // Terms of `tokens` with `term_prefix`: one term, or a phrase of them, or with
  // `near_distance` the terms in any order, at most that many other words among them.
  // Exact words, no stems: only they carry positions.
  static Xapian::Query exact_query(const std::vector<Token>& tokens, const std::string& term_prefix,
                                   std::optional<unsigned> near_distance = std::nullopt) {
    std::vector<Xapian::Query> terms;
    for (const auto& token : tokens) terms.emplace_back(term_prefix + token.term);
    if (terms.size() == 1) return terms.front();
    const auto words = static_cast<Xapian::termcount>(terms.size());
    if (near_distance) return Xapian::Query(Xapian::Query::OP_NEAR, terms.begin(), terms.end(), words + *near_distance);
    return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), words);
  }

  Node chunk_node(const Lexeme& lexeme, bool negated) {
    const std::string& chunk = lexeme.text;
    if (is_wildcard(chunk)) return wildcard_node(lexeme, negated);
    const auto tokens = context_.analyzer.tokenize(chunk);
    if (tokens.empty()) return {};
    remember_words(tokens, negated, /*adjacent=*/true);
    Node node = tokens.size() > 1 ? leaf(Node::Kind::Scored, exact_query(tokens, ""))
                                  : leaf(Node::Kind::Scored, word_query(tokens.front().term, context_));
    node.alias_tokens = query_tokens(tokens, lexeme);
    if (!negated) {
      if (tokens.size() == 1) {
        plain_words_.push_back({tokens.front().term, lexeme.text_begin + tokens.front().begin,
                                lexeme.text_begin + tokens.front().end});
      }
    }
    return node;
  }

  static bool is_wildcard(const std::string& chunk) {
    return !chunk.empty() && chunk.back() == '*' && chunk.find('*') == chunk.size() - 1;
  }

  // `term_prefix`: "" for the body, prefix::kTitle for title:decl*.
  Node wildcard_node(const Lexeme& lexeme, bool negated, const std::string& term_prefix = "") {
    if (++wildcards_ > kMaxWildcards) {
      fail(lexeme, "a query takes at most " + std::to_string(kMaxWildcards) + " wildcards (each stands for up to " +
                       std::to_string(kMaxWildcardExpansion) + " words)");
    }
    const std::string_view stem_part = std::string_view(lexeme.text).substr(0, lexeme.text.size() - 1);
    const auto tokens = context_.analyzer.tokenize(stem_part);
    if (tokens.empty() || count_code_points(tokens.back().term) < kMinWildcardPrefixChars) {
      fail(lexeme, "a wildcard needs at least " + std::to_string(kMinWildcardPrefixChars) +
                       " letters before the *");
    }
    // "women's-ri*": the complete words must be there too, the last one is the prefix.
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) parts.emplace_back(term_prefix + tokens[i].term);
    parts.emplace_back(Xapian::Query::OP_WILDCARD, term_prefix + tokens.back().term, kMaxWildcardExpansion,
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    if (!negated) {
      highlight_.prefixes.push_back(tokens.back().term);
      for (std::size_t i = 0; i + 1 < tokens.size(); ++i) highlight_.words.push_back(tokens[i].term);
    }
    return leaf(Node::Kind::Scored, combine(Xapian::Query::OP_AND, parts));
  }

  Node phrase_node(const Lexeme& lexeme, bool negated) {
    const auto tokens = context_.analyzer.tokenize(lexeme.text);
    if (tokens.empty()) return {};
    remember_words(tokens, negated, /*adjacent=*/!lexeme.near_distance);
    Node node = leaf(Node::Kind::Scored, exact_query(tokens, "", lexeme.near_distance));  // quoted: exact
    node.alias_tokens = query_tokens(tokens, lexeme);
    return node;
  }

  Node field_node(const Lexeme& lexeme, bool negated) {
    const std::string& value = lexeme.text;
    if (lexeme.field == "title") {
      if (!lexeme.quoted && is_wildcard(value)) return wildcard_node(lexeme, negated, prefix::kTitle);
      const auto tokens = context_.analyzer.tokenize(value);
      if (tokens.empty()) fail(lexeme, "field \"title:\" has no words");
      remember_words(tokens, negated, /*adjacent=*/!lexeme.near_distance);
      return leaf(Node::Kind::Scored, exact_query(tokens, prefix::kTitle, lexeme.near_distance));
    }
    if (lexeme.near_distance) fail(lexeme, "~N applies to quoted words and title:\"...\", not to " + lexeme.field + ":");
    if (lexeme.field == "date") return date_node(value);
    if (lexeme.field == "actor" || lexeme.field == "ministry") {
      const bool actor = lexeme.field == "actor";
      const AuthorityEntry* entry =
          context_.authority == nullptr
              ? nullptr
              : context_.authority->resolve(actor ? EntityKind::Actor : EntityKind::Ministry,
                                            value, context_.analyzer);
      if (entry != nullptr && !negated) remember_entity_names(*entry);
      const std::string id_term = std::string(actor ? prefix::kActor : prefix::kMinistry) + value;
      if (entry == nullptr && context_.visible_term && context_.visible_term(id_term)) {
        return leaf(Node::Kind::Filter, Xapian::Query(id_term));  // an id the authority no longer names
      }
      if (entry == nullptr) {
        // `actor:Keut Rith` reads only "Keut": say how to write a name with spaces.
        const std::string hint =
            lexeme.quoted ? "" : " (put names with spaces in quotes: " + lexeme.field + ":\"...\")";
        throw UserError(actor ? "unknown_actor" : "unknown_ministry",
                        std::string("no ") + (actor ? "actor" : "ministry") + " named \"" +
                            value + "\"" + hint);
      }
      return leaf(Node::Kind::Filter,
                  Xapian::Query(std::string(actor ? prefix::kActor : prefix::kMinistry) + entry->id));
    }
    if (lexeme.field == "type") {
      return leaf(Node::Kind::Filter, Xapian::Query(boolean_term(prefix::kType, document_type_or_throw(value))));
    }
    if (lexeme.field == "lang") {
      return leaf(Node::Kind::Filter, Xapian::Query(boolean_term(prefix::kLanguage, language_filter_value(value))));
    }
    const QueryFieldDef* field = find_query_field(lexeme.field);  // source
    return leaf(Node::Kind::Filter, Xapian::Query(boolean_term(field->term_prefix, value)));
  }

  static Node date_node(const std::string& value) {
    const auto dots = value.find("..");
    if (dots == std::string::npos) return leaf(Node::Kind::Filter, date_range_query(value, value));
    return leaf(Node::Kind::Filter, date_range_query(std::string_view(value).substr(0, dots),
                                                     std::string_view(value).substr(dots + 2)));
  }

  std::string_view text_, typed_;
  const QueryContext& context_;
  std::vector<Lexeme> lexemes_;
  std::size_t next_ = 0;
  std::vector<PlainWord> plain_words_;
  std::size_t wildcards_ = 0;
  HighlightTerms highlight_;
};

}  // namespace

Xapian::Query match_all() { return Xapian::Query(std::string()); }

Xapian::Query word_query(const std::string& term, const QueryContext& context) {
  // The indexer writes "Z"+stem only when the stem differs from the word, so a document
  // whose word *is* the stem ("right") is found through the unprefixed stem, and one with
  // an inflected form ("rights") through "Z"+stem — hence both, even when the query word
  // is its own stem. Each stem counts only in documents of the language whose stemmer
  // made it: it is a word of its own in other languages (Turkish "insan" stems to "in",
  // English "ins" to "in" too), and a document's "Z" terms come from its own language.
  std::vector<std::pair<std::string, std::vector<std::string>>> stems;  // stem, its languages
  for (const auto& language : context.stem_languages) {
    const std::string stem = context.analyzer.stem(term, language);
    if (stem.empty()) continue;
    auto found = std::find_if(stems.begin(), stems.end(), [&](const auto& known) { return known.first == stem; });
    if (found == stems.end()) found = stems.insert(stems.end(), {stem, {}});
    auto& languages = found->second;
    if (std::find(languages.begin(), languages.end(), language) == languages.end()) languages.push_back(language);
  }
  std::vector<Xapian::Query> alternatives{Xapian::Query(term)};
  for (const auto& [stem, languages] : stems) {
    std::vector<Xapian::Query> forms;
    if (stem != term) forms.emplace_back(stem);
    forms.emplace_back(prefix::kStem + stem);
    std::vector<Xapian::Query> language_terms;
    for (const auto& language : languages) language_terms.emplace_back(boolean_term(prefix::kLanguage, language));
    alternatives.emplace_back(Xapian::Query::OP_FILTER, combine(Xapian::Query::OP_OR, forms),
                              combine(Xapian::Query::OP_OR, language_terms));
  }
  if (alternatives.size() == 1) return alternatives.front();
  return combine(Xapian::Query::OP_SYNONYM, alternatives);
}

std::string document_type_or_throw(const std::string& value) {
  const std::string type = normalize(value);
  if (std::find(kDocumentTypes.begin(), kDocumentTypes.end(), type) == kDocumentTypes.end()) {
    std::string known;
    for (const auto& name : kDocumentTypes) known += (known.empty() ? "" : ", ") + std::string(name);
    throw UserError("unknown_type", "unknown document type \"" + value + "\"; use one of " + known);
  }
  return type;
}

std::string language_filter_value(const std::string& value) {
  std::string language = primary_language_subtag(value);
  return language.empty() ? value : language;
}

Xapian::Query date_range_query(std::string_view from, std::string_view to) {
  if (from.empty() && to.empty()) {
    throw UserError("bad_date", "a date range needs a start, an end or both (e.g. 2021..2022)");
  }
  const auto slot = slot_number(Slot::Date);
  if (to.empty()) {
    return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, parse_date_or_throw(from).range_start_key());
  }
  if (from.empty()) {
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, parse_date_or_throw(to).period_end_key());
  }
  const auto start = parse_date_or_throw(from).range_start_key();
  const auto end = parse_date_or_throw(to).period_end_key();
  if (start > end) {
    throw UserError("bad_date", "the date range " + std::string(from) + ".." + std::string(to) +
                                    " ends before it starts");
  }
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, start, end);
}

ParsedQuery analyse_query(std::string_view text, const QueryContext& context) {
  if (text.size() > kMaxQueryBytes) {
    throw TooLarge("query_too_long", "the query is " + std::to_string(text.size()) +
                                         " bytes long; the limit is " +
                                         std::to_string(kMaxQueryBytes));
  }
  const auto invalid = first_invalid_utf8(text);
  if (invalid != std::string_view::npos) {
    throw UserError("bad_encoding",
                    "the query is not valid UTF-8 (byte " + std::to_string(invalid + 1) + ")");
  }
  // Pasted text and CJK keyboards bring no-break and ideographic spaces; the lexer splits
  // on ASCII spaces only, so "police\u00A0impunity" would become the phrase "police
  // impunity". Each is replaced byte for byte, so error offsets still point into the query.
  const std::string spaced = with_ascii_spaces(text);
  return Parser(spaced, text, context).run();
}

Xapian::Query parse_query(std::string_view text, const QueryContext& context) {
  return analyse_query(text, context).query;
}

}  // namespace rights
