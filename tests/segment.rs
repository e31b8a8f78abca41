//! Table-driven sentence segmentation cases: each input with the sentences it must split into.

use quotestance::extract::segment::sentences;

fn split(text: &str) -> Vec<String> {
    sentences(text)
        .iter()
        .map(|s| {
            text[s.start..s.end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

const CASES: &[(&str, &[&str])] = &[
    // Plain sentences and terminal punctuation.
    (
        "The talks ended. Both sides left.",
        &["The talks ended.", "Both sides left."],
    ),
    (
        "Is it over? Nobody knows.",
        &["Is it over?", "Nobody knows."],
    ),
    ("It is over! Go home.", &["It is over!", "Go home."]),
    ("What?! He left?!  Yes.", &["What?!", "He left?!", "Yes."]),
    ("One sentence only", &["One sentence only"]),
    ("", &[]),
    ("   \n\n  ", &[]),
    // Titles and honorifics.
    (
        "Mr. Smith arrived. He sat down.",
        &["Mr. Smith arrived.", "He sat down."],
    ),
    (
        "Mrs. Jones and Dr. Patel met Prof. Lee.",
        &["Mrs. Jones and Dr. Patel met Prof. Lee."],
    ),
    (
        "Gen. Milley spoke to Lt. Col. Vindman on Friday.",
        &["Gen. Milley spoke to Lt. Col. Vindman on Friday."],
    ),
    (
        "Sen. Warren and Rep. Ocasio-Cortez voted no.",
        &["Sen. Warren and Rep. Ocasio-Cortez voted no."],
    ),
    (
        "Gov. Newsom signed it. Capt. Reyes objected.",
        &["Gov. Newsom signed it.", "Capt. Reyes objected."],
    ),
    (
        "Mr Smith (British style) needs no stop. He agreed.",
        &["Mr Smith (British style) needs no stop.", "He agreed."],
    ),
    (
        "St. Petersburg is cold. Mt. Everest is high.",
        &["St. Petersburg is cold.", "Mt. Everest is high."],
    ),
    // Company suffixes that may or may not end a sentence.
    (
        "Acme Co. said profits fell.",
        &["Acme Co. said profits fell."],
    ),
    (
        "Shares of Acme Inc. rose. The market fell.",
        &["Shares of Acme Inc. rose.", "The market fell."],
    ),
    (
        "He works for Widgets Ltd. The firm is small.",
        &["He works for Widgets Ltd.", "The firm is small."],
    ),
    (
        "Brown Bros. Harriman advised the deal.",
        &["Brown Bros. Harriman advised the deal."],
    ),
    (
        "They sold apples, pears, etc. and left.",
        &["They sold apples, pears, etc. and left."],
    ),
    (
        "They sold apples, pears, etc. The stall closed.",
        &["They sold apples, pears, etc.", "The stall closed."],
    ),
    // Latin and reference abbreviations.
    (
        "Some fruit, e.g. apples, is cheap.",
        &["Some fruit, e.g. apples, is cheap."],
    ),
    (
        "One option, i.e. the second, won.",
        &["One option, i.e. the second, won."],
    ),
    (
        "It was Smith vs. Jones in court.",
        &["It was Smith vs. Jones in court."],
    ),
    (
        "See Fig. 3 for details. It is clear.",
        &["See Fig. 3 for details.", "It is clear."],
    ),
    (
        "Under Art. 5 of the treaty, allies respond.",
        &["Under Art. 5 of the treaty, allies respond."],
    ),
    (
        "Read Sec. 4.2 first. Then sign.",
        &["Read Sec. 4.2 first.", "Then sign."],
    ),
    (
        "He lives at No. 10 Downing Street.",
        &["He lives at No. 10 Downing Street."],
    ),
    ("Approx. 300 people came.", &["Approx. 300 people came."]),
    // Months.
    (
        "The vote is on Jan. 5 in the capital.",
        &["The vote is on Jan. 5 in the capital."],
    ),
    (
        "It ended on Sept. 30. Talks resume in Oct. next year.",
        &["It ended on Sept. 30.", "Talks resume in Oct. next year."],
    ),
    // Initials.
    (
        "George W. Bush visited Texas.",
        &["George W. Bush visited Texas."],
    ),
    (
        "J. K. Rowling wrote it. Fans cheered.",
        &["J. K. Rowling wrote it.", "Fans cheered."],
    ),
    (
        "The author, E. B. White, died in 1985.",
        &["The author, E. B. White, died in 1985."],
    ),
    (
        "He backed plan B. The rest voted no.",
        &["He backed plan B.", "The rest voted no."],
    ),
    // Multi-period abbreviations.
    (
        "The U.S. Senate voted. It passed.",
        &["The U.S. Senate voted.", "It passed."],
    ),
    (
        "Troops left the U.S. The base closed.",
        &["Troops left the U.S.", "The base closed."],
    ),
    (
        "The U.K. and the E.U. agreed.",
        &["The U.K. and the E.U. agreed."],
    ),
    (
        "They met at 9 a.m. on Monday.",
        &["They met at 9 a.m. on Monday."],
    ),
    (
        "They met at 9 a.m. The talks lasted hours.",
        &["They met at 9 a.m.", "The talks lasted hours."],
    ),
    (
        "The U.N. Security Council met at 3 p.m. Friday.",
        &["The U.N. Security Council met at 3 p.m. Friday."],
    ),
    (
        "She earned a Ph.D. in physics.",
        &["She earned a Ph.D. in physics."],
    ),
    (
        "The flight to Washington, D.C. was late.",
        &["The flight to Washington, D.C. was late."],
    ),
    // Numbers, money, decimals, percentages.
    (
        "Growth was 2.4% in March. Inflation fell.",
        &["Growth was 2.4% in March.", "Inflation fell."],
    ),
    (
        "The deal is worth $3.5 billion. Shares rose 1.2%.",
        &["The deal is worth $3.5 billion.", "Shares rose 1.2%."],
    ),
    (
        "Version 2.0.1 shipped. Bugs remain.",
        &["Version 2.0.1 shipped.", "Bugs remain."],
    ),
    (
        "He scored 3.5 points on average.",
        &["He scored 3.5 points on average."],
    ),
    (
        "The year was 1989. The wall fell.",
        &["The year was 1989.", "The wall fell."],
    ),
    (
        "Costs rose by €1,200. 2025 will be worse.",
        &["Costs rose by €1,200.", "2025 will be worse."],
    ),
    // URLs and e-mail.
    (
        "Visit www.example.com for details. It is free.",
        &["Visit www.example.com for details.", "It is free."],
    ),
    (
        "Write to press@example.org. We reply fast.",
        &["Write to press@example.org.", "We reply fast."],
    ),
    (
        "See https://example.com/a.b.c?x=1 now.",
        &["See https://example.com/a.b.c?x=1 now."],
    ),
    // Ellipses.
    ("Well... we will see.", &["Well... we will see."]),
    (
        "He paused… then spoke again.",
        &["He paused… then spoke again."],
    ),
    (
        "It was over... The crowd left.",
        &["It was over...", "The crowd left."],
    ),
    // Quotes with attribution.
    (
        "\"Go!\" he said. They went.",
        &["\"Go!\" he said.", "They went."],
    ),
    (
        "\"Why now?\" she asked. Nobody answered.",
        &["\"Why now?\" she asked.", "Nobody answered."],
    ),
    (
        "“Enough!” Smith shouted. The room fell silent.",
        &["“Enough!” Smith shouted.", "The room fell silent."],
    ),
    (
        "“We are ready.” The minister then left.",
        &["“We are ready.”", "The minister then left."],
    ),
    (
        "He said: “We will win. Nothing will stop us.”",
        &["He said: “We will win.", "Nothing will stop us.”"],
    ),
    (
        "“It is done,” she said. “Now we rest.”",
        &["“It is done,” she said.", "“Now we rest.”"],
    ),
    (
        "‘Never,’ said Mr Holt. ‘Not ever.’",
        &["‘Never,’ said Mr Holt.", "‘Not ever.’"],
    ),
    (
        "He called it «a disgrace». Others disagreed.",
        &["He called it «a disgrace».", "Others disagreed."],
    ),
    // Brackets.
    (
        "The ministry (which declined comment) was silent. Critics spoke.",
        &[
            "The ministry (which declined comment) was silent.",
            "Critics spoke.",
        ],
    ),
    (
        "He left (again.) Nobody noticed.",
        &["He left (again.)", "Nobody noticed."],
    ),
    // Headlines and paragraphs.
    (
        "Putin Warns NATO Over Troops\n\nThe president spoke on Friday.",
        &[
            "Putin Warns NATO Over Troops",
            "The president spoke on Friday.",
        ],
    ),
    (
        "World News\nPutin Warns NATO\n\nHe spoke.",
        &["World News", "Putin Warns NATO", "He spoke."],
    ),
    (
        "First paragraph ends here\n\nSecond one starts.",
        &["First paragraph ends here", "Second one starts."],
    ),
    (
        "A line that wraps\nin the middle of a sentence.",
        &["A line that wraps in the middle of a sentence."],
    ),
    // A headline in sentence case on the first line, ended by a single line break.
    (
        "Pulp mill to cut 140 jobs in northern Ontario\nNorcastle Paper says it will lay off \
         workers.",
        &[
            "Pulp mill to cut 140 jobs in northern Ontario",
            "Norcastle Paper says it will lay off workers.",
        ],
    ),
    // One-line copy: the headline glued to the first sentence with a space.
    (
        "Total fire ban declared as heat builds across Victoria The Bureau of Meteorology says \
         it will be hot.",
        &[
            "Total fire ban declared as heat builds across Victoria",
            "The Bureau of Meteorology says it will be hot.",
        ],
    ),
    (
        "Galway ring road works to start in spring Galway County Council says work will begin.",
        &[
            "Galway ring road works to start in spring",
            "Galway County Council says work will begin.",
        ],
    ),
    (
        "Shelling kills 18 in Mogadishu market as fighting enters third day MOGADISHU, July 21 \
         (Wire) - At least 18 people were killed.",
        &[
            "Shelling kills 18 in Mogadishu market as fighting enters third day",
            "MOGADISHU, July 21 (Wire) - At least 18 people were killed.",
        ],
    ),
    (
        "Delegates met in The Hague on Monday and the UN Secretary-General says talks will go on.",
        &[
            "Delegates met in The Hague on Monday and the UN Secretary-General says talks will go on.",
        ],
    ),
    (
        "Candidates in the new Tamaki electorate say the task is hard.",
        &["Candidates in the new Tamaki electorate say the task is hard."],
    ),
    // "etc." before a capitalised word ends the list and the sentence.
    (
        "They sell pens, paper etc. The shop opens at nine.",
        &["They sell pens, paper etc.", "The shop opens at nine."],
    ),
    // Missing spaces and odd spacing.
    (
        "He rejected the criticism.Premier Allan disagreed.",
        &["He rejected the criticism.", "Premier Allan disagreed."],
    ),
    (
        "The   talks    ended.   Both left.",
        &["The talks ended.", "Both left."],
    ),
    (
        "Lower case after a stop. and then more.",
        &["Lower case after a stop. and then more."],
    ),
    // Non-Latin scripts pass through.
    ("Путин выступил. Он ушёл.", &["Путин выступил.", "Он ушёл."]),
];

#[test]
fn sentence_segmentation_table() {
    assert!(CASES.len() >= 60, "the table has {} cases", CASES.len());
    let mut failures = Vec::new();
    for (input, want) in CASES {
        let got = split(input);
        if got != *want {
            failures.push(format!(
                "input: {input:?}\n  want: {want:?}\n  got:  {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn spans_are_char_boundaries_in_order() {
    let text = "“Ça va?” dit-il. Ünïcödé… Next. 日本語の文。 End.";
    let spans = sentences(text);
    // At least: the quoted question with its attribution, the sentence ending "Next.", and the
    // rest (an ellipsis inside a sentence does not end it).
    assert!(spans.len() >= 3, "sentences found: {spans:?}");
    let mut last = 0;
    for s in &spans {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(s.start >= last && s.end > s.start);
        last = s.end;
    }
    // Together the spans cover the text: only whitespace falls between or around them.
    let mut covered = 0;
    for s in &spans {
        assert!(
            text[covered..s.start].trim().is_empty(),
            "text lost before {s:?}"
        );
        covered = s.end;
    }
    assert!(text[covered..].trim().is_empty(), "text lost at the end");
}
