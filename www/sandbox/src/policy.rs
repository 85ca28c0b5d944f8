//! The subset of Turnkey's policy language this sandbox understands: enough for the
//! wallet-as-a-service guide.
//!
//! ```text
//! expr    := and ( "||" and )*
//! and     := unary ( "&&" unary )*
//! unary   := "!" unary | "(" expr ")" | "true" | "false"
//!          | "approvers.any(" IDENT "," expr ")" | operand ( "==" | "!=" ) operand
//! operand := 'string' | "string" | path
//! path    := activity.type | wallet.id | <bound>.id (inside approvers.any)
//! ```
//! Anything else is refused with a message naming what is not supported.

/// Why a policy expression was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The text does not parse.
    #[error("policy syntax error at byte {at}: {message}")]
    Syntax {
        /// Byte offset.
        at: usize,
        /// What went wrong.
        message: String,
    },
    /// The expression uses something the sandbox does not implement.
    #[error("unsupported in this sandbox's policy language: {0}")]
    Unsupported(String),
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Literal.
    Bool(bool),
    /// Negation.
    Not(Box<Expr>),
    /// Both.
    And(Box<Expr>, Box<Expr>),
    /// Either.
    Or(Box<Expr>, Box<Expr>),
    /// `left == right` (or `!=` when `negated`).
    Compare {
        /// Left side.
        left: Operand,
        /// Right side.
        right: Operand,
        /// `!=`.
        negated: bool,
    },
    /// `approvers.any(var, body)`.
    AnyApprover {
        /// The bound variable.
        var: String,
        /// The predicate.
        body: Box<Expr>,
    },
}

/// A comparison operand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// A string literal.
    Str(String),
    /// `activity.type`.
    ActivityType,
    /// `wallet.id`.
    WalletId,
    /// `<var>.id` for the approver bound by `approvers.any`.
    ApproverId,
}

/// What an expression is evaluated against.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// The activity type.
    pub activity_type: &'a str,
    /// The wallet the activity touches, if any.
    pub wallet_id: Option<&'a str>,
    /// Users who approved so far.
    pub approvers: &'a [String],
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    LParen,
    RParen,
    Comma,
    Dot,
    And,
    Or,
    Not,
    Eq,
    Ne,
}

fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, PolicyError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let tok = match c {
            c if c.is_whitespace() => continue,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '.' => Tok::Dot,
            '&' if next == Some('&') => {
                chars.next();
                Tok::And
            }
            '|' if next == Some('|') => {
                chars.next();
                Tok::Or
            }
            '=' if next == Some('=') => {
                chars.next();
                Tok::Eq
            }
            '!' if next == Some('=') => {
                chars.next();
                Tok::Ne
            }
            '!' => Tok::Not,
            '\'' | '"' => {
                let mut s = String::new();
                let mut closed = false;
                for (_, d) in chars.by_ref() {
                    if d == c {
                        closed = true;
                        break;
                    }
                    s.push(d);
                }
                if !closed {
                    return Err(PolicyError::Syntax {
                        at: i,
                        message: "unterminated string".into(),
                    });
                }
                Tok::Str(s)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut s = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        s.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                Tok::Ident(s)
            }
            other => {
                return Err(PolicyError::Unsupported(format!(
                    "the character {other:?} (at byte {i}); only ==, !=, &&, ||, !, parentheses, strings and paths are supported"
                )));
            }
        };
        out.push((i, tok));
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    len: usize,
    bound: Vec<String>,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.len, |(i, _)| *i)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|(_, t)| t.clone());
        self.pos += 1;
        t
    }
    fn err(&self, message: impl Into<String>) -> PolicyError {
        PolicyError::Syntax {
            at: self.at(),
            message: message.into(),
        }
    }
    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), PolicyError> {
        if self.peek() == Some(tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err(format!("expected {what}")))
        }
    }
    fn ident(&mut self) -> Result<String, PolicyError> {
        match self.next() {
            Some(Tok::Ident(s)) => Ok(s),
            _ => {
                self.pos = self.pos.saturating_sub(1);
                Err(self.err("expected a name"))
            }
        }
    }

    fn expr(&mut self) -> Result<Expr, PolicyError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, PolicyError> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, PolicyError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(&Tok::RParen, "')'")?;
                Ok(e)
            }
            Some(Tok::Ident(s)) if s == "true" || s == "false" => {
                let b = s == "true";
                self.pos += 1;
                Ok(Expr::Bool(b))
            }
            Some(Tok::Ident(s)) if s == "approvers" => {
                self.pos += 1;
                self.expect(&Tok::Dot, "'.' after approvers")?;
                let method = self.ident()?;
                if method != "any" {
                    return Err(PolicyError::Unsupported(format!(
                        "approvers.{method} (only approvers.any(user, …) is supported)"
                    )));
                }
                self.expect(&Tok::LParen, "'(' after approvers.any")?;
                let var = self.ident()?;
                self.expect(&Tok::Comma, "',' after the approver variable")?;
                self.bound.push(var.clone());
                let body = self.expr();
                self.bound.pop();
                let body = body?;
                self.expect(&Tok::RParen, "')' closing approvers.any")?;
                Ok(Expr::AnyApprover {
                    var,
                    body: Box::new(body),
                })
            }
            _ => {
                let left = self.operand()?;
                let negated = match self.next() {
                    Some(Tok::Eq) => false,
                    Some(Tok::Ne) => true,
                    _ => {
                        self.pos = self.pos.saturating_sub(1);
                        return Err(self.err("expected == or !="));
                    }
                };
                let right = self.operand()?;
                Ok(Expr::Compare {
                    left,
                    right,
                    negated,
                })
            }
        }
    }

    fn operand(&mut self) -> Result<Operand, PolicyError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Operand::Str(s)),
            Some(Tok::Ident(root)) => {
                let mut path = vec![root];
                while self.peek() == Some(&Tok::Dot) {
                    self.pos += 1;
                    path.push(self.ident()?);
                }
                if self.peek() == Some(&Tok::LParen) {
                    return Err(PolicyError::Unsupported(format!(
                        "calling {}(…) (functions other than approvers.any are not supported)",
                        path.join(".")
                    )));
                }
                match path
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    ["activity", "type"] => Ok(Operand::ActivityType),
                    ["wallet", "id"] => Ok(Operand::WalletId),
                    [var, "id"] if self.bound.iter().any(|b| b == var) => Ok(Operand::ApproverId),
                    _ => Err(PolicyError::Unsupported(format!(
                        "the field {} (supported: activity.type, wallet.id, <approver>.id)",
                        path.join(".")
                    ))),
                }
            }
            _ => {
                self.pos = self.pos.saturating_sub(1);
                Err(self.err("expected a string or a field"))
            }
        }
    }
}

/// Parses an expression.
///
/// # Errors
/// [`PolicyError`] naming the first problem.
pub fn parse(src: &str) -> Result<Expr, PolicyError> {
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err(PolicyError::Syntax {
            at: 0,
            message: "empty expression".into(),
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        len: src.len(),
        bound: Vec::new(),
    };
    let e = p.expr()?;
    if p.pos < p.toks.len() {
        return Err(p.err("unexpected trailing input"));
    }
    Ok(e)
}

/// Whether the expression mentions `approvers` (conditions must not; consensus usually does).
#[must_use]
pub fn mentions_approvers(e: &Expr) -> bool {
    match e {
        Expr::AnyApprover { .. } => true,
        Expr::Bool(_) | Expr::Compare { .. } => false,
        Expr::Not(a) => mentions_approvers(a),
        Expr::And(a, b) | Expr::Or(a, b) => mentions_approvers(a) || mentions_approvers(b),
    }
}

fn value<'a>(op: &'a Operand, ctx: &Context<'a>, approver: Option<&'a str>) -> Option<&'a str> {
    match op {
        Operand::Str(s) => Some(s),
        Operand::ActivityType => Some(ctx.activity_type),
        Operand::WalletId => ctx.wallet_id,
        Operand::ApproverId => approver,
    }
}

fn eval_with(e: &Expr, ctx: &Context<'_>, approver: Option<&str>) -> bool {
    match e {
        Expr::Bool(b) => *b,
        Expr::Not(a) => !eval_with(a, ctx, approver),
        Expr::And(a, b) => eval_with(a, ctx, approver) && eval_with(b, ctx, approver),
        Expr::Or(a, b) => eval_with(a, ctx, approver) || eval_with(b, ctx, approver),
        Expr::Compare {
            left,
            right,
            negated,
        } => {
            match (value(left, ctx, approver), value(right, ctx, approver)) {
                // A missing field (e.g. wallet.id on an activity without a wallet) matches nothing.
                (Some(l), Some(r)) => (l == r) != *negated,
                _ => false,
            }
        }
        Expr::AnyApprover { body, .. } => ctx
            .approvers
            .iter()
            .any(|a| eval_with(body, ctx, Some(a.as_str()))),
    }
}

/// Evaluates an expression.
#[must_use]
pub fn eval(e: &Expr, ctx: &Context<'_>) -> bool {
    eval_with(e, ctx, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_policy_parses_and_evaluates() {
        let consensus = parse("approvers.any(user, user.id == 'u1')").unwrap();
        let condition =
            parse("activity.type == 'ACTIVITY_TYPE_EXPORT_WALLET' && wallet.id == 'w1'").unwrap();
        let approvers = vec!["u1".to_owned()];
        let ctx = Context {
            activity_type: "ACTIVITY_TYPE_EXPORT_WALLET",
            wallet_id: Some("w1"),
            approvers: &approvers,
        };
        assert!(eval(&consensus, &ctx) && eval(&condition, &ctx));
        let other = Context {
            wallet_id: Some("w2"),
            ..ctx.clone()
        };
        assert!(!eval(&condition, &other));
        let nobody = Context {
            approvers: &[],
            ..ctx
        };
        assert!(!eval(&consensus, &nobody));
    }

    #[test]
    fn or_not_and_parentheses() {
        let e = parse("!(activity.type == \"A\" || activity.type == 'B') && true").unwrap();
        let ctx = Context {
            activity_type: "C",
            ..Context::default()
        };
        assert!(eval(&e, &ctx));
    }

    #[test]
    fn unsupported_and_malformed_are_refused() {
        assert!(matches!(
            parse("approvers.count() >= 2"),
            Err(PolicyError::Unsupported(_))
        ));
        assert!(matches!(
            parse("eth.tx.value < 10"),
            Err(PolicyError::Unsupported(_))
        ));
        assert!(matches!(
            parse("activity.type == "),
            Err(PolicyError::Syntax { .. })
        ));
        assert!(matches!(
            parse("activity.type == 'x"),
            Err(PolicyError::Syntax { .. })
        ));
        assert!(matches!(parse(""), Err(PolicyError::Syntax { .. })));
        assert!(matches!(
            parse("user.id == 'a'"),
            Err(PolicyError::Unsupported(_))
        ));
        assert!(matches!(parse("(true"), Err(PolicyError::Syntax { .. })));
    }
}
