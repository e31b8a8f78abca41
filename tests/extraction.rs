//! Extraction cases from real-news-style copy: each test is named after the construction it covers
//! and checks the quotes found (span text, kind, speaker, cue).

use quotestance::quotes::{QuoteKind, extract};

/// (quote text, kind, speaker, cue) of every quote in `text`.
fn quotes(text: &str) -> Vec<(String, QuoteKind, String, String)> {
    extract(text)
        .into_iter()
        .map(|q| {
            (
                text[q.span.start..q.span.end].to_string(),
                q.kind,
                q.speaker,
                q.cue,
            )
        })
        .collect()
}

#[test]
fn flattened_quote_reopened_before_its_attribution() {
    let text = "Nurse Ellen Park spoke to reporters. \"We have done our part. \"The rest is up to \
                them,\" she said.";
    let found = quotes(text);
    let texts: Vec<&str> = found.iter().map(|q| q.0.as_str()).collect();
    assert_eq!(
        texts,
        vec!["We have done our part.", "The rest is up to them,"]
    );
    assert!(found.iter().all(|q| q.2 == "Ellen Park"), "{found:?}");
}

#[test]
fn flattened_quote_reopened_after_its_attribution() {
    let text = "Airline chief Tom Reyes met staff. \"Two planes are out of service, the rest of \
                the fleet is grounded,\" he said. \"Engineers are checking every aircraft.";
    let found = quotes(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].0, "Engineers are checking every aircraft.");
    assert!(found.iter().all(|q| q.2 == "Tom Reyes"), "{found:?}");
}

#[test]
fn flattened_quotes_over_several_lost_paragraphs() {
    let text = "Forecaster Graham Petrie expects wind. \"It's the classic pattern,\" he says. \"The \
                wind will swing around in the evening. \"So it's going to be a long afternoon,\" \
                he says.";
    let found = quotes(text);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[1].0, "The wind will swing around in the evening.");
    assert!(found.iter().all(|q| q.2 == "Graham Petrie"), "{found:?}");
}

fn speakers(text: &str) -> Vec<String> {
    quotes(text).into_iter().map(|q| q.2).collect()
}

#[test]
fn job_titles_and_honorifics_glued_before_a_name_are_dropped() {
    for (text, name) in [
        (
            "District Collector Anupama Saikia says the camps are full.",
            "Anupama Saikia",
        ),
        (
            "Weather service forecaster Dana Whitfield said the storm would turn north.",
            "Dana Whitfield",
        ),
        (
            "Undersecretary Rosario Villanueva told reporters the cases had doubled.",
            "Rosario Villanueva",
        ),
        (
            "Pensioner Doris Whiteley, 81, said the detour would make her journey longer.",
            "Doris Whiteley",
        ),
        (
            "Counsel Jonathan Pryor QC said the conviction could not stand.",
            "Jonathan Pryor",
        ),
        (
            "Forest and Bird's Rachel Kerr says the money is not enough.",
            "Rachel Kerr",
        ),
    ] {
        assert_eq!(speakers(text), vec![name.to_string()], "{text}");
    }
}

#[test]
fn initials_before_a_surname_are_not_an_acronym() {
    let text = "Divisional Railway Manager S.K. Raghavan said the trains would run late.";
    assert_eq!(speakers(text), vec!["S.K. Raghavan".to_string()]);
}

#[test]
fn surname_only_mention_resolves_to_the_fullest_form_before_or_after() {
    let text = "Ms Alvarez says the road will close in May. The mayor, Rosa Alvarez, was elected \
                last year. Mr Te Whata says the iwi supports it. Lyn Te Whata chairs the board.";
    assert_eq!(speakers(text), vec!["Rosa Alvarez", "Lyn Te Whata"]);
}

#[test]
fn surname_in_the_middle_of_a_full_name_resolves_to_it() {
    let text = "Mayor Arturo Benavides Lugo opened the bridge. Benavides said the work had \
                taken three years. Philip Ng Wai-man was in court. Ng said the case was weak.";
    assert_eq!(
        speakers(text),
        vec!["Arturo Benavides Lugo", "Philip Ng Wai-man"]
    );
}

#[test]
fn organisation_names_with_small_words_stay_whole() {
    let text = "The Association of Brazilian Exporters said on Monday that prices would rise. \
                The International Committee of the Red Cross said it was sending aid. \
                Britain's Department for International Development said it would help.";
    assert_eq!(
        speakers(text),
        vec![
            "The Association of Brazilian Exporters",
            "The International Committee of the Red Cross",
            "Britain's Department for International Development",
        ]
    );
}

#[test]
fn arabic_article_names_are_names() {
    let text = "Coalition spokesman Colonel Saleh al-Otaibi said the targets were military. \
                Al-Otaibi said no market was hit.";
    assert_eq!(speakers(text), vec!["Saleh al-Otaibi", "Saleh al-Otaibi"]);
}

#[test]
fn group_subject_filling_the_sentence_up_to_the_cue() {
    for (text, speaker) in [
        (
            "Church leaders on the island say the violence must stop.",
            "Church leaders on the island",
        ),
        (
            "Residents reached by telephone said dozens of families had fled.",
            "Residents reached by telephone",
        ),
        (
            "Senior national rugby players say they will refuse to tour.",
            "Senior national rugby players",
        ),
        (
            "Hanoi police warned that vendors would be fined.",
            "Hanoi police",
        ),
        (
            "Japan's coast guard said the trawler had entered its waters.",
            "Japan's coast guard",
        ),
    ] {
        assert_eq!(speakers(text), vec![speaker.to_string()], "{text}");
    }
}

#[test]
fn headline_glued_to_the_first_sentence_is_not_part_of_the_speaker() {
    let text = "Wharfies set 48-hour stoppage at Fremantle The Waterside Workers' Federation says \
                its members will walk off the job on Monday.";
    assert_eq!(
        speakers(text),
        vec!["The Waterside Workers' Federation".to_string()]
    );
}
